Describe 'Export-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $img = Request-ContainerImage $SmallImage -Root $root
        $native = [Berth.Interop.Engine]::HasFunction('berth_image_save')
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf writes nothing' {
        $out = [System.IO.Path]::Combine($root, 'whatif.tar')
        Export-ContainerImage $SmallImage -Path $out -Root $root -WhatIf
        [System.IO.File]::Exists($out) | Should -BeFalse
    }

    It 'without berth_image_save in libberth: a NotImplemented error naming the call, no file' {
        if ($native) { Set-ItResult -Skipped -Because 'libberth provides berth_image_save' }
        $out = [System.IO.Path]::Combine($root, 'missing.tar')
        $err = { Export-ContainerImage $SmallImage -Path $out -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        $err.Exception.Message | Should -Match 'berth_image_save'
        [System.IO.File]::Exists($out) | Should -BeFalse
    }

    It 'writes a docker-archive that Import-ContainerImage loads back with the same id' {
        Skip-UnlessNative 'berth_image_save', 'berth_image_load'
        $out = [System.IO.Path]::Combine($root, 'small.tar')
        $file = Get-ContainerImage $SmallImage -Root $root | Export-ContainerImage -Path $out -Root $root -PassThru
        $file | Should -BeOfType ([System.IO.FileInfo])
        $other = New-TestRoot
        (@(Import-ContainerImage $out -Root $other)[0]).Id | Should -Be $img.Id
    }
}
