Describe 'Wait-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'waits for the exit and writes the exit code' {
        $null = New-TestContainer -Root $root -Name 'three' -Command 'sh', '-c', 'exit 3'
        $c = Start-Container three -Root $root -PassThru | Wait-Container -Root $root -Timeout 30
        $c.Status | Should -Be 'exited'
        $c.ExitCode | Should -Be 3
    }

    It 'a timeout is a per-container error while it keeps running' {
        $null = New-TestContainer -Root $root -Name 'long' -Command 'sleep', '300'
        Start-Container long -Root $root
        $err = { Wait-Container long -Timeout 1 -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
        (Get-Container long -Root $root).Status | Should -Be 'running'
        Stop-Container long -Timeout 0 -Root $root
    }

    It 'is stopped by PowerShell.Stop() (Ctrl+C) while the container runs on' {
        $null = New-TestContainer -Root $root -Name 'forever' -Command 'sleep', '300'
        Start-Container forever -Root $root
        $ps = New-TestPowerShell
        $null = $ps.AddCommand('Wait-Container').AddParameter('Name', 'forever').AddParameter('Root', $root)
        $async = $ps.BeginInvoke()
        [System.Threading.Thread]::Sleep(700)
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        (Get-Container forever -Root $root).Status | Should -Be 'running'
        $ps.Dispose()
        Stop-Container forever -Timeout 0 -Root $root
    }
}
