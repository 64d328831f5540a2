Describe 'Submit-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $img = Request-ContainerImage $SmallImage -Root $root
        $target = "$Registry/berth/pushed:" + [guid]::NewGuid().ToString('N').Substring(0, 8)
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf pushes nothing' {
        Submit-ContainerImage $SmallImage -Destination $target -Root $root -WhatIf
        { Request-ContainerImage $target -Root (New-TestRoot) -ErrorAction Stop } | Should -Throw -ErrorId 'BerthNotFound'
    }

    It 'pushes to the registry; a fresh store pulls the same image back' {
        $r = Submit-ContainerImage $SmallImage -Destination $target -Root $root
        $r | Should -BeOfType ([Berth.Model.ContainerImagePush])
        $r.Digest | Should -Match '^sha256:'
        (Request-ContainerImage $target -Root (New-TestRoot)).Id | Should -Be $img.Id
    }

    It 'pushing to the authenticated registry without credentials is an AuthenticationError' {
        $err = { Submit-ContainerImage $SmallImage -Destination "$AuthRegistry/berth/nope:1" -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}
