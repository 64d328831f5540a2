Describe 'Get-ContainerLog' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $null = New-TestContainer -Root $root -Name 'talker' -Command 'sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2'
        Start-Container talker -Root $root
        $null = Wait-Container talker -Root $root -Timeout 30
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'writes every line with its stream and time' {
        $lines = @(Get-ContainerLog talker -Root $root)
        $lines.Count | Should -Be 6
        $lines[0] | Should -BeOfType ([Berth.Model.ContainerLogEntry])
        @($lines | Where-Object Stream -eq 'stdout').Line | Should -Be @('line 1', 'line 2', 'line 3', 'line 4', 'line 5')
        @($lines | Where-Object Stream -eq 'stderr').Line | Should -Be @('oops')
        $lines[0].Time | Should -BeOfType ([datetime])
    }

    It '-Tail keeps the last lines' {
        @(Get-ContainerLog talker -Tail 2 -Root $root).Count | Should -Be 2
    }

    It 'takes the container from the pipeline' {
        @(Get-Container talker -Root $root | Get-ContainerLog -Root $root).Count | Should -Be 6
    }

    It 'an unknown container is ObjectNotFound' {
        $err = { Get-ContainerLog nobody -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'renders lines without headers' {
        $text = Get-ContainerLog talker -Tail 1 -Root $root | Get-Rendered
        $text | Should -Match 'stderr\s+oops'
        $text | Should -Not -Match 'Stream'
    }
}

Describe 'Get-ContainerLog -Follow and -Since' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It '-Follow writes lines as they come and returns when the container exits' {
        $null = New-TestContainer -Root $root -Name 'counter' -Command 'sh', '-c', 'for i in 1 2 3; do echo n$i; sleep 0.3; done'
        Start-Container counter -Root $root
        @((Get-ContainerLog counter -Follow -Root $root).Line) | Should -Be @('n1', 'n2', 'n3')
    }

    It '-Since in the future writes nothing' {
        Get-ContainerLog counter -Since ([DateTime]::UtcNow.AddHours(1)) -Root $root | Should -BeNullOrEmpty
    }

    It '-Follow is stopped by PowerShell.Stop() (Ctrl+C) while the container keeps talking' {
        $null = New-TestContainer -Root $root -Name 'ticker' -Command 'sh', '-c', 'while true; do echo tick; sleep 0.2; done'
        Start-Container ticker -Root $root
        $ps = New-TestPowerShell
        $null = $ps.AddCommand('Get-ContainerLog').AddParameter('Name', 'ticker').AddParameter('Follow').AddParameter('Root', $root)
        $out = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $out)
        Wait-Until { $out.Count -ge 2 } | Should -BeTrue
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        (Get-Container ticker -Root $root).Status | Should -Be 'running'
        $ps.Dispose()
    }
}
