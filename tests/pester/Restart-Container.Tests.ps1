Describe 'Restart-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'restarts a running container with a new process' {
        $null = New-TestContainer -Root $root -Name 'svc' -Command 'sleep', '300'
        $first = Start-Container svc -Root $root -PassThru
        $second = Restart-Container svc -Timeout 0 -Root $root -PassThru
        $second.Status | Should -Be 'running'
        $second.Pid | Should -Not -Be $first.Pid
        Stop-Container svc -Timeout 0 -Root $root
    }

    It 'starts an exited container again (its log grows)' {
        $null = New-TestContainer -Root $root -Name 'again' -Command 'echo', 'ran'
        Start-Container again -Root $root
        $null = Wait-Container again -Root $root -Timeout 30
        Restart-Container again -Root $root
        $null = Wait-Container again -Root $root -Timeout 30
        @((Get-ContainerLog again -Root $root).Line | Where-Object { $_ -eq 'ran' }).Count | Should -Be 2
    }

    It '-WhatIf does nothing' {
        $null = New-TestContainer -Root $root -Name 'still'
        Restart-Container still -Root $root -WhatIf
        (Get-Container still -Root $root).Status | Should -Be 'created'
    }
}
