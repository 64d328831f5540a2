Describe 'Export-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $img = Request-ContainerImage $SmallImage -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf writes nothing' {
        $out = [System.IO.Path]::Combine($root, 'whatif.tar')
        Export-ContainerImage $SmallImage -Path $out -Root $root -WhatIf
        [System.IO.File]::Exists($out) | Should -BeFalse
    }

    It 'writes a docker-archive that Import-ContainerImage loads back with the same id' {
        $out = [System.IO.Path]::Combine($root, 'small.tar')
        $file = Get-ContainerImage $SmallImage -Root $root | Export-ContainerImage -Path $out -Root $root -PassThru
        $file | Should -BeOfType ([System.IO.FileInfo])
        $other = New-TestRoot
        (@(Import-ContainerImage $out -Root $other)[0]).Id | Should -Be $img.Id
    }
}
