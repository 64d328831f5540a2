Describe 'Invoke-ContainerCommand' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $null = New-TestContainer -Root $root -Name 'host' -Command 'sleep', '300'
        Start-Container host -Root $root
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'runs a process in the running container and writes its stdout lines' {
        $out = Invoke-ContainerCommand host -Command 'sh', '-c', 'echo one; echo two' -Root $root
        $out | Should -Be @('one', 'two')
        $LASTEXITCODE | Should -Be 0
    }

    It 'sets $LASTEXITCODE and writes stderr as errors' {
        $out = Invoke-ContainerCommand host -Command 'sh', '-c', 'echo bad >&2; exit 4' -Root $root -ErrorVariable errs -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 4
        $errs.Count | Should -Be 1
        $errs[0].Exception.Message | Should -Be 'bad'
    }

    It 'passes -Environment and -WorkingDirectory' {
        Invoke-ContainerCommand host -Command 'sh', '-c', 'echo $X $(pwd)' -Environment @{ X = 'yes' } -WorkingDirectory /tmp -Root $root |
            Should -Be 'yes /tmp'
    }

    It 'a container that is not running is a wrong-state error' {
        $null = New-TestContainer -Root $root -Name 'idle'
        $err = { Invoke-ContainerCommand idle -Command 'true' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -BeIn @('InvalidOperation')
    }

    It '-WhatIf runs nothing' {
        Invoke-ContainerCommand host -Command 'touch', '/tmp/whatif' -Root $root -WhatIf
        Invoke-ContainerCommand host -Command 'sh', '-c', 'test -e /tmp/whatif && echo there || echo absent' -Root $root | Should -Be 'absent'
    }
}
