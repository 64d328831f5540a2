# New-Container -RestartPolicy: the policy reaches the container (RestartPolicy, RestartCount),
# the monitor restarts a failing container within its retry limit, and bad values are refused
# by the parameter's pattern before anything is created.
Describe 'New-Container -RestartPolicy' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'defaults to no policy' {
        $c = New-Container -RootFS $RootFS -Name 'plain' -Command 'true' -Root $root
        $c.RestartPolicy | Should -Be 'no'
        $c.RestartCount | Should -Be 0
    }

    It 'restarts a failing container up to on-failure:2 and keeps its exit code' {
        $c = New-Container -RootFS $RootFS -Name 'flaky' -Command 'sh', '-c', 'echo run; exit 3' -RestartPolicy 'on-failure:2' -Root $root
        $c.RestartPolicy | Should -Be 'on-failure:2'
        Start-Container flaky -Root $root
        $code = Wait-Container flaky -Root $root -Timeout 60
        $after = Get-Container flaky -Root $root
        $after.RestartCount | Should -Be 2
        $after.ExitCode | Should -Be 3
        $after.Status | Should -Be 'exited'
        @((Get-ContainerLog flaky -Root $root).Line | Where-Object { $_ -eq 'run' }).Count | Should -Be 3
    }

    It 'refuses a value that is not a policy, creating nothing' {
        { New-Container -RootFS $RootFS -Name 'bad' -Command 'true' -RestartPolicy 'sometimes' -Root $root -ErrorAction Stop } | Should -Throw
        { New-Container -RootFS $RootFS -Name 'bad' -Command 'true' -RestartPolicy 'always:3' -Root $root -ErrorAction Stop } | Should -Throw
        Get-Container bad -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
