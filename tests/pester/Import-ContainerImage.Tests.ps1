Describe 'Import-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $layout = $env:BERTH_TEST_OCI_SMALL     # an OCI layout written by tests/lib/mkimage.py
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf imports nothing' {
        Import-ContainerImage $layout -Format oci-layout -Root $root -WhatIf
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
    }

    It 'loads the images of an OCI layout' {
        $imgs = @(Import-ContainerImage $layout -Format oci-layout -Root $root)
        $imgs.Count | Should -BeGreaterThan 0
        $imgs[0] | Should -BeOfType ([Berth.Model.ContainerImage])
        (Test-ContainerStore -Root $root).Healthy | Should -BeTrue
    }

    It 'a file that is not an archive is an error and imports nothing' {
        $junk = [System.IO.Path]::Combine($root, 'junk.tar')
        [System.IO.File]::WriteAllText($junk, 'not a tar')
        { Import-ContainerImage $junk -Root (New-TestRoot) -ErrorAction Stop } | Should -Throw
    }
}
