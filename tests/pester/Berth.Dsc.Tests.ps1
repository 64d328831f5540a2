# The DSC class resources, driven as the Local Configuration Manager drives them: Get, Test, Set.
Describe 'DSC resource ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $dsc = (Get-Module Berth).NestedModules | Where-Object Name -eq 'Berth.Dsc'
        function New-Resource([string]$Type) { & $dsc ([scriptblock]::Create("[$Type]::new()")) }
    }
    AfterAll { Remove-TestRoot $root }

    It 'is exported as a DSC resource by the manifest' {
        # Test-ModuleManifest leaves ExportedDscResources empty without the DSC engine; read the
        # manifest, and check the classes carry [DscResource()].
        [System.IO.File]::ReadAllText($ModulePath) | Should -Match "DscResourcesToExport\s*=\s*@\('ContainerImage', 'Container'\)"
        foreach ($t in 'ContainerImage', 'Container') {
            $type = & $dsc ([scriptblock]::Create("[$t]"))
            $type.GetCustomAttributes([System.Management.Automation.DscResourceAttribute], $false).Count | Should -Be 1
        }
    }

    It 'Test is false while the image is missing; Set pulls it; then Test is true and Get says Present' {
        $r = New-Resource ContainerImage
        $r.Reference = $SmallImage; $r.Root = $root
        $r.Test() | Should -BeFalse
        $r.Get().Ensure.ToString() | Should -Be 'Absent'
        $r.Set()
        $r.Test() | Should -BeTrue
        $state = $r.Get()
        $state.Ensure.ToString() | Should -Be 'Present'
        $state.Id | Should -Be (Get-ContainerImage $SmallImage -Root $root).Id
    }

    It 'Ensure Absent removes the image' {
        $r = New-Resource ContainerImage
        $r.Reference = $SmallImage; $r.Root = $root; $r.Ensure = 'Absent'
        $r.Test() | Should -BeFalse
        $r.Set()
        $r.Test() | Should -BeTrue
        Get-ContainerImage $SmallImage -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Set with a reference the registry lacks throws, changing nothing' {
        $r = New-Resource ContainerImage
        $r.Reference = "$Registry/berth/none:1"; $r.Root = $root
        { $r.Set() } | Should -Throw
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
    }
}

Describe 'DSC resource Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $dsc = (Get-Module Berth).NestedModules | Where-Object Name -eq 'Berth.Dsc'
        function New-Resource([string]$Type) { & $dsc ([scriptblock]::Create("[$Type]::new()")) }
        function New-Desired([string]$State = 'Running', [string]$Ensure = 'Present') {
            $c = New-Resource Container
            $c.Name = 'dsc-web'; $c.Image = $BusyboxImage; $c.Root = $root
            $c.Command = 'sleep', '300'; $c.State = $State; $c.Ensure = $Ensure
            $c
        }
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'Set pulls the image, creates and starts the container; Test is then true' {
        $c = New-Desired
        $c.Test() | Should -BeFalse
        $c.Set()
        $c.Test() | Should -BeTrue
        (Get-Container dsc-web -Root $root).Status | Should -Be 'running'
        $c.Get().State | Should -Be 'Running'
    }

    It 'State Stopped stops it' {
        $c = New-Desired -State Stopped
        $c.Test() | Should -BeFalse
        $c.Set()
        $c.Test() | Should -BeTrue
        (Get-Container dsc-web -Root $root).Status | Should -Be 'exited'
    }

    It 'Ensure Absent removes it' {
        $c = New-Desired -Ensure Absent
        $c.Test() | Should -BeFalse
        $c.Set()
        $c.Test() | Should -BeTrue
        Get-Container dsc-web -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
