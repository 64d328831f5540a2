Describe 'Import-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $layout = $env:BERTH_TEST_OCI_SMALL     # an OCI layout written by tests/lib/mkimage.py
        $native = [Berth.Interop.Engine]::HasFunction('berth_image_load')
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf imports nothing' {
        Import-ContainerImage $layout -Format oci-layout -Root $root -WhatIf
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
    }

    It 'without berth_image_load in libberth: a NotImplemented error naming the call, store untouched' {
        if ($native) { Set-ItResult -Skipped -Because 'libberth provides berth_image_load' }
        $err = { Import-ContainerImage $layout -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'BerthNativeCallMissing,*'
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        $err.Exception.Message | Should -Match 'berth_image_load'
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
    }

    It 'loads the images of an OCI layout' {
        Skip-UnlessNative 'berth_image_load'
        $imgs = @(Import-ContainerImage $layout -Format oci-layout -Root $root)
        $imgs.Count | Should -BeGreaterThan 0
        $imgs[0] | Should -BeOfType ([Berth.Model.ContainerImage])
        (Test-ContainerStore -Root $root).Healthy | Should -BeTrue
    }

    It 'a file that is not an archive is an error and imports nothing' {
        Skip-UnlessNative 'berth_image_load'
        $junk = [System.IO.Path]::Combine($root, 'junk.tar')
        [System.IO.File]::WriteAllText($junk, 'not a tar')
        { Import-ContainerImage $junk -Root (New-TestRoot) -ErrorAction Stop } | Should -Throw
    }
}
