Describe 'New-Container security options' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'passes -CapAdd, -CapDrop and -SecurityOpt (a profile path relative to the location) to the container' {
        $profileText = '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($root, 'nomkdir.json'), $profileText)
        # (the test host has no Push-Location: the engine's own location API)
        $ExecutionContext.SessionState.Path.PushCurrentLocation('')
        $null = $ExecutionContext.SessionState.Path.SetLocation($root)
        try {
            $c = New-Container -RootFS $RootFS -Name 'secure' -CapDrop 'ALL' -CapAdd 'chown' -SecurityOpt 'no-new-privileges', 'seccomp=nomkdir.json' `
                -Command 'sh', '-c', 'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; mkdir /tmp/x || echo mkdir-denied' -Root $root
        } finally { $null = $ExecutionContext.SessionState.Path.PopLocation('') }
        Start-Container secure -Root $root
        $null = Wait-Container secure -Root $root -Timeout 30
        $log = (Get-ContainerLog secure -Root $root).Line -replace '\s', ''
        $log | Should -Contain 'CapEff:0000000000000001'
        $log | Should -Contain 'NoNewPrivs:1'
        $log | Should -Contain 'mkdir-denied'

        $err = { New-Container -RootFS $RootFS -Name 'badcap' -CapAdd 'NET_ADMINN' -Command 'true' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'unknown capability "NET_ADMINN"'
        Get-Container badcap -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $p = New-Container -RootFS $RootFS -Name 'priv' -Privileged -Command 'sh', '-c', 'grep ^Seccomp: /proc/self/status' -Root $root
        Start-Container priv -Root $root
        $null = Wait-Container priv -Root $root -Timeout 30
        ((Get-ContainerLog priv -Root $root).Line -replace '\s', '') | Should -Contain 'Seccomp:0'
    }
}
