Describe 'Remove-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $small = Request-ContainerImage $SmallImage -Root $root
        $null = Request-ContainerImage "$Registry/berth/small:v2" -Root $root
        $null = Request-ContainerImage $BusyboxImage -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf removes nothing' {
        Remove-ContainerImage $SmallImage -Root $root -WhatIf
        @(Get-ContainerImage -Root $root).Count | Should -Be 3
    }

    It 'removing one tag of a two-tag image untags only (-PassThru says so)' {
        $r = Remove-ContainerImage $SmallImage -Root $root -PassThru
        $r | Should -BeOfType ([Berth.Model.ContainerImageRemoval])
        $r.Untagged | Should -Be @($SmallImage)
        $r.Deleted | Should -BeNullOrEmpty
        (Get-ContainerImage "$Registry/berth/small:v2" -Root $root).Id | Should -Be $small.Id
    }

    It 'removing the last tag deletes the image' {
        $r = Remove-ContainerImage "$Registry/berth/small:v2" -Root $root -PassThru
        $r.Deleted | Should -Be @($small.Id)
        Get-ContainerImage '*small*' -Root $root | Should -BeNullOrEmpty
    }

    It 'takes images from Get-ContainerImage through the pipeline' {
        Get-ContainerImage '*busybox*' -Root $root | Remove-ContainerImage -Root $root
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
    }

    It 'an unknown image is a per-item ObjectNotFound; the next name is still removed' {
        $null = Request-ContainerImage $SmallImage -Root $root
        Remove-ContainerImage "$Registry/berth/ghost:1", $SmallImage -Root $root -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be "$Registry/berth/ghost:1"
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
    }

    It 'an image a container uses is refused (ResourceBusy) without -Force' {
        $img = Request-ContainerImage $BusyboxImage -Root $root
        $c = New-Container $BusyboxImage -Name 'user' -Root $root -ErrorAction SilentlyContinue
        if (-not $c) { Set-ItResult -Skipped -Because 'New-Container from an image needs the layers concern (unpacked layers)' }
        $err = { Remove-ContainerImage $img.Id -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
        (Get-ContainerImage $BusyboxImage -Root $root).Id | Should -Be $img.Id
        Remove-Container user -Force -Root $root
    }
}
