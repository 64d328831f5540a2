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
