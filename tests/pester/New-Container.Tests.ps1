Describe 'New-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'creates a container from a root file system and writes it' {
        $c = New-Container -RootFS $RootFS -Name 'first' -Command 'sh', '-c', 'echo hi' -Root $root
        $c | Should -BeOfType ([Berth.Model.Container])
        $c.Name | Should -Be 'first'
        $c.Status | Should -Be 'created'
        $c.Id | Should -Match '^[0-9a-f]{64}$'
        $c.ShortId | Should -Be $c.Id.Substring(0, 12)
        $c.Command -join ' ' | Should -Match 'echo hi'
    }

    It 'passes environment, working directory and labels' {
        $c = New-Container -RootFS $RootFS -Name 'env' -Command 'sh', '-c', 'env; pwd' -Environment @{ GREETING = 'hello world' } -WorkingDirectory '/tmp' -Label @{ tier = 'web' } -Root $root
        $c.Labels['tier'] | Should -Be 'web'
        Start-Container env -Root $root
        $null = Wait-Container env -Root $root -Timeout 30
        $log = (Get-ContainerLog env -Root $root).Line
        $log | Should -Contain 'GREETING=hello world'
        $log | Should -Contain '/tmp'
    }

    It 'refuses a name that is taken, keeping the first container' {
        $err = { New-Container -RootFS $RootFS -Name 'first' -Command 'true' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.FullyQualifiedErrorId | Should -BeLike 'BerthAlreadyExists,*'
        @(Get-Container first -Root $root).Count | Should -Be 1
    }

    It 'refuses an image the store does not have with ObjectNotFound' {
        $err = { New-Container 'no-such-image:1' -Name 'ghost' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match 'no-such-image'
        Get-Container ghost -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It '-WhatIf creates nothing' {
        New-Container -RootFS $RootFS -Name 'whatif' -Command 'true' -Root $root -WhatIf
        Get-Container whatif -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
