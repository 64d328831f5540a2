Describe 'Start-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'starts a container in runc; -PassThru writes it running' {
        $null = New-TestContainer -Root $root -Name 'runner' -Command 'sleep', '30'
        $c = Start-Container runner -Root $root -PassThru
        $c.Status | Should -Be 'running'
        $c.Pid | Should -BeGreaterThan 0
        Stop-Container runner -Root $root -Timeout 0
    }

    It 'takes containers from the pipeline (Get-Container -Status Created | Start-Container)' {
        $null = New-TestContainer -Root $root -Name 'piped1'
        $null = New-TestContainer -Root $root -Name 'piped2'
        Get-Container -Status Created -Root $root | Start-Container -Root $root
        foreach ($n in 'piped1', 'piped2') {
            (Wait-Container $n -Root $root -Timeout 30).ExitCode | Should -Be 0
        }
    }

    It 'writes a per-item error for an unknown name and goes on with the next' {
        $null = New-TestContainer -Root $root -Name 'after'
        Start-Container 'nope', 'after' -Root $root -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'nope'
        (Wait-Container after -Root $root -Timeout 30).Status | Should -Be 'exited'
    }

    It '-Attach writes only this run''s lines, then -PassThru the exited container' {
        $null = New-TestContainer -Root $root -Name 'talker' -Command 'sh', '-c', 'echo one; echo two >&2; exit 4'
        $first = Start-Container talker -Root $root -Attach
        [string[]]$got = @($first | ForEach-Object Line)
        [array]::Sort($got)   # two pipes: either order
        $got -join ',' | Should -Be 'one,two'
        $out = Start-Container talker -Root $root -Attach -PassThru
        $lines = @($out | Where-Object { $_ -is [Berth.Model.ContainerLogEntry] })
        $lines.Count | Should -Be 2
        ($lines | Where-Object Stream -eq 'stderr').Line | Should -Be 'two'
        $c = $out | Where-Object { $_ -is [Berth.Model.Container] }
        $c.Status | Should -Be 'exited'
        $c.ExitCode | Should -Be 4
    }

    It '-WhatIf starts nothing' {
        $null = New-TestContainer -Root $root -Name 'idle'
        Start-Container idle -Root $root -WhatIf
        (Get-Container idle -Root $root).Status | Should -Be 'created'
    }
}
