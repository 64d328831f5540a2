# samples/quickstart.ps1 runs as written against the loopback registry and runc.
Describe 'samples/quickstart.ps1' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll { Remove-TestRoot $root }

    It 'pulls, lists, runs a container and reads its log, leaving the image' {
        $Host.PrivateData.StartCapture()
        try {
            & "$PSScriptRoot/../../samples/quickstart.ps1" -Image $BusyboxImage -Root $root -ModulePath $ModulePath -Command sh, -c, 'echo quickstart ran'
        } finally { $text = $Host.PrivateData.StopCapture() }
        $text | Should -Match 'berth/busybox\s+v1'
        $text | Should -Match 'Containers:\\Images\\127\.0\.0\.1_\d+\\berth\\busybox\\v1'
        $text | Should -Match 'stdout quickstart ran'
        $text | Should -Match 'exited\s+0'
        Get-Container -Root $root | Should -BeNullOrEmpty
        (Get-ContainerImage $BusyboxImage -Root $root).Tag | Should -Be 'v1'
    }
}
