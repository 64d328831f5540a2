Describe 'Add-ContainerImageTag' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $img = Request-ContainerImage $SmallImage -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It 'adds a name to an image; -PassThru writes the image under it' {
        $t = Add-ContainerImageTag $SmallImage 'local/app:1.0' -Root $root -PassThru
        $t.Id | Should -Be $img.Id
        $t.Reference | Should -Be 'docker.io/local/app:1.0'
        $t.Tag | Should -Be '1.0'
        (Get-ContainerImage 'local/app:1.0' -Root $root).Id | Should -Be $img.Id
    }

    It 'tags from the pipeline' {
        Get-ContainerImage $SmallImage -Root $root | Add-ContainerImageTag -Tag 'local/app:piped' -Root $root
        (Get-ContainerImage 'local/app:piped' -Root $root).Id | Should -Be $img.Id
    }

    It 'an unknown source is ObjectNotFound' {
        $err = { Add-ContainerImageTag 'nothing:here' 'local/x:1' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a malformed target is InvalidArgument' {
        $err = { Add-ContainerImageTag $SmallImage 'Local/UPPER:1' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It '-WhatIf adds nothing' {
        Add-ContainerImageTag $SmallImage 'local/app:whatif' -Root $root -WhatIf
        Get-ContainerImage 'local/app:whatif' -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
