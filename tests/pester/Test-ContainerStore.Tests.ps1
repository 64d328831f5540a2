Describe 'Test-ContainerStore' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $img = Request-ContainerImage $SmallImage -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It 'reports a sound store as healthy' {
        $r = Test-ContainerStore -Root $root
        $r | Should -BeOfType ([Berth.Model.ContainerStoreReport])
        $r.Healthy | Should -BeTrue
        $r.BlobsChecked | Should -BeGreaterThan 4
        $r.Problems | Should -BeNullOrEmpty
        Test-ContainerStore -Root $root -Quiet | Should -BeTrue
    }

    It 'finds a blob whose bytes changed, and names the image that uses it' {
        $layer = [System.IO.Directory]::GetFiles("$root/blobs/sha256") | Where-Object { [System.IO.FileInfo]::new($_).Length -gt 100 } | Select-FirstItem
        [System.IO.File]::AppendAllText($layer, 'flipped')
        $r = Test-ContainerStore -Root $root
        $r.Healthy | Should -BeFalse
        $r.CorruptBlobs | Should -Be 1
        ($r.Problems -join "`n") | Should -Match 'corrupt blob sha256:'
        Test-ContainerStore -Root $root -Quiet | Should -BeFalse
    }

    It '-WhatIf -Repair repairs nothing' {
        Test-ContainerStore -Repair -WhatIf -Root $root | Out-Null
        (Test-ContainerStore -Root $root).CorruptBlobs | Should -Be 1
    }

    It '-Repair removes the corrupt blob; the image then shows it missing until pulled again' {
        $r = Test-ContainerStore -Repair -Root $root
        $r.Removed.Count | Should -Be 1
        $after = Test-ContainerStore -Root $root
        $after.CorruptBlobs | Should -Be 0
        $after.MissingBlobs | Should -Be 1
        $null = Request-ContainerImage $SmallImage -Root $root
        (Test-ContainerStore -Root $root).Healthy | Should -BeTrue
    }

    It 'renders as a list that says Healthy and the problems' {
        $text = Test-ContainerStore -Root $root | Get-Rendered
        $text | Should -Match 'Healthy\s+: True'
        $text | Should -Match 'Problems\s+: none'
    }
}
