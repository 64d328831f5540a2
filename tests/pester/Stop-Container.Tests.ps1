Describe 'Stop-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'stops a running container (-PassThru shows it exited)' {
        $null = New-TestContainer -Root $root -Name 'sleeper' -Command 'sleep', '300'
        Start-Container sleeper -Root $root
        $c = Stop-Container sleeper -Timeout 1 -Root $root -PassThru
        $c.Status | Should -Be 'exited'
    }

    It '-Kill sends the signal at once' {
        $null = New-TestContainer -Root $root -Name 'killme' -Command 'sleep', '300'
        Start-Container killme -Root $root
        Stop-Container killme -Kill -Root $root
        $c = Wait-Container killme -Root $root -Timeout 30
        $c.ExitCode | Should -Be 137   # 128 + SIGKILL
    }

    It '-WhatIf leaves it running' {
        $null = New-TestContainer -Root $root -Name 'keep' -Command 'sleep', '300'
        Start-Container keep -Root $root
        Stop-Container keep -Root $root -WhatIf
        (Get-Container keep -Root $root).Status | Should -Be 'running'
        Stop-Container keep -Root $root -Timeout 0
    }

    It 'an unknown container is ObjectNotFound' {
        $err = { Stop-Container 'missing' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
