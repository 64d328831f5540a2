Describe 'Remove-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'removes exited containers from the pipeline (Get-Container -Status Exited | Remove-Container)' {
        foreach ($n in 'done1', 'done2') { $null = New-TestContainer -Root $root -Name $n; Start-Container $n -Root $root }
        foreach ($n in 'done1', 'done2') { $null = Wait-Container $n -Root $root -Timeout 30 }
        $null = New-TestContainer -Root $root -Name 'fresh'
        Get-Container -Status Exited -Root $root | Remove-Container -Root $root
        @(Get-Container -Root $root).Name | Should -Be @('fresh')
    }

    It 'refuses a running container without -Force (ResourceBusy or wrong state), removes it with -Force' {
        $null = New-TestContainer -Root $root -Name 'busy' -Command 'sleep', '300'
        Start-Container busy -Root $root
        $err = { Remove-Container busy -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -BeIn @('ResourceBusy', 'InvalidOperation')
        (Get-Container busy -Root $root).Status | Should -Be 'running'
        Remove-Container busy -Force -Root $root
        Get-Container busy -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It '-WhatIf removes nothing' {
        Remove-Container fresh -Root $root -WhatIf
        (Get-Container fresh -Root $root).Name | Should -Be 'fresh'
    }

    It 'supports wildcards' {
        $null = New-TestContainer -Root $root -Name 'wild-a'
        $null = New-TestContainer -Root $root -Name 'wild-b'
        Remove-Container 'wild-*' -Root $root
        Get-Container 'wild-*' -Root $root | Should -BeNullOrEmpty
    }
}
