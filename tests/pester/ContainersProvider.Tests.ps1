# The Containers: drive. Get-ChildItem, Get-Item, Test-Path and Remove-Item live in
# Microsoft.PowerShell.Commands.Management, which the reachable NuGet copy lacks; these tests go
# through the same provider intrinsics those cmdlets call ($ExecutionContext.InvokeProvider).
Describe 'Containers: drive' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $savedRoot = $env:BERTH_ROOT
        $env:BERTH_ROOT = $root          # the default drive follows $env:BERTH_ROOT at each call
        $small = Request-ContainerImage $SmallImage -Root $root
        $null = Request-ContainerImage "$Registry/berth/small:v2" -Root $root
        $null = Request-ContainerImage $BusyboxImage -Root $root
        $null = New-TestContainer -Root $root -Name 'drive-c1'
        $reg = $Registry.Replace(':', '_')
        $provider = $ExecutionContext.InvokeProvider
    }
    AfterAll {
        $env:BERTH_ROOT = $savedRoot
        Remove-TestRoot $root
    }

    It 'is mounted by the module as Containers:' {
        $d = $ExecutionContext.SessionState.Drive.Get('Containers')
        $d.Provider.Name | Should -Be 'Containers'
        $d.Provider.Capabilities.ToString() | Should -Match 'ShouldProcess'
    }

    It 'has Images and Containers at its root' {
        $items = @($provider.ChildItem.Get('Containers:\', $false))
        @($items.PSChildName) | Should -Be @('Images', 'Containers')
        $items | ForEach-Object { $_.PSIsContainer | Should -BeTrue }
    }

    It 'shows repository parts as folders and tags as items, with no : or / in a name' {
        $items = @($provider.ChildItem.Get('Containers:\Images', $true))
        $paths = @($items | ForEach-Object { $_.PSPath -replace '^.*::', '' })
        $paths | Should -Contain "Images\$reg\berth\small\v1"
        $paths | Should -Contain "Images\$reg\berth\small\v2"
        $paths | Should -Contain "Images\$reg\berth\busybox\v1"
        foreach ($i in $items) { $i.PSChildName | Should -Not -Match '[:/]' }
        $leaf = $items | Where-Object { $_.PSChildName -eq 'v1' -and $_.PSParentPath -like '*small' }
        $leaf | Should -BeOfType ([Berth.Model.ContainerImage])
        $leaf.PSIsContainer | Should -BeFalse
        $leaf.Id | Should -Be $small.Id
    }

    It 'lists children of a repository folder' {
        @($provider.ChildItem.Get("Containers:\Images\$reg\berth\small", $false).PSChildName) | Should -Be @('v1', 'v2')
        @($provider.ChildItem.GetNames("Containers:\Images\$reg\berth", 'ReturnMatchingContainers', $false)) | Should -Be @('busybox', 'small')
    }

    It 'Get-Item on a tag returns the image; Test-Path answers for items and folders' {
        $i = @($provider.Item.Get("Containers:\Images\$reg\berth\small\v2"))[0]
        $i.Reference | Should -Be "$Registry/berth/small:v2"
        $provider.Item.Exists("Containers:\Images\$reg\berth\small\v2") | Should -BeTrue
        $provider.Item.Exists("Containers:\Images\$reg\berth") | Should -BeTrue
        $provider.Item.Exists("Containers:\Images\$reg\berth\small\v9") | Should -BeFalse
        $provider.Item.Exists('Containers:\Elsewhere') | Should -BeFalse
        $provider.Item.IsContainer("Containers:\Images\$reg\berth\small") | Should -BeTrue
        $provider.Item.IsContainer("Containers:\Images\$reg\berth\small\v2") | Should -BeFalse
    }

    It 'a missing path is an ObjectNotFound error' {
        $err = { $provider.Item.Get("Containers:\Images\$reg\berth\nothing") } | Should -Throw -PassThru
        $err.Exception.InnerException.ErrorRecord.CategoryInfo.Category, $err.CategoryInfo.Category | Should -Contain 'ObjectNotFound'
    }

    It 'shows containers under Containers' {
        $c = @($provider.ChildItem.Get('Containers:\Containers', $false))
        @($c.PSChildName) | Should -Be @('drive-c1')
        $c[0] | Should -BeOfType ([Berth.Model.Container])
    }

    It 'Remove-Item on a tag untags it' {
        $provider.Item.Remove("Containers:\Images\$reg\berth\small\v1", $false)
        $provider.Item.Exists("Containers:\Images\$reg\berth\small\v1") | Should -BeFalse
        (Get-ContainerImage "$Registry/berth/small:v2" -Root $root).Id | Should -Be $small.Id
    }

    It 'Remove-Item on a folder needs -Recurse, then removes every image beneath' {
        { $provider.Item.Remove("Containers:\Images\$reg\berth\busybox", $false) } | Should -Throw -ExpectedMessage '-Recurse'
        $provider.Item.Exists("Containers:\Images\$reg\berth\busybox\v1") | Should -BeTrue
        $provider.Item.Remove("Containers:\Images\$reg\berth\busybox", $true)
        Get-ContainerImage '*busybox*' -Root $root | Should -BeNullOrEmpty
    }

    It 'New-Item in Images pulls the reference given as the value' {
        $i = @($provider.Item.New('Containers:\Images', 'ignored', 'Image', $BusyboxImage))
        $i[0] | Should -BeOfType ([Berth.Model.ContainerImage])
        $provider.Item.Exists("Containers:\Images\$reg\berth\busybox\v1") | Should -BeTrue
        # The provider's WriteProgress records are not checked: the intrinsics drop them (no
        # command runtime), and New-Item itself is in the missing Management module.
    }

    It 'New-Item in Containers creates a container from the image given as the value' {
        $c = @($provider.Item.New('Containers:\Containers', 'made-by-new-item', 'Container', "$Registry/berth/small:v2"))
        $c[0] | Should -BeOfType ([Berth.Model.Container])
        (Get-Container made-by-new-item -Root $root).Status | Should -Be 'created'
        Remove-Container made-by-new-item -Root $root
    }

    It 'New-Item elsewhere is refused' {
        { $provider.Item.New('Containers:\', 'x', 'Folder', 'y') } | Should -Throw -ExpectedMessage 'New-Item works in'
    }

    It 'Remove-Item on a container removes it' {
        $provider.Item.Remove('Containers:\Containers\drive-c1', $false)
        Get-Container -Root $root | Should -BeNullOrEmpty
    }
}
