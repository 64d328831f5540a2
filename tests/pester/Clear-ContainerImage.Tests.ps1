Describe 'Clear-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $small = Request-ContainerImage $SmallImage -Root $root
        $busy = Request-ContainerImage $BusyboxImage -Root $root
        function Get-BlobCount { [System.IO.Directory]::GetFiles("$root/blobs/sha256").Count }
    }
    AfterAll { Remove-TestRoot $root }

    It 'removes nothing while every blob is used' {
        $before = Get-BlobCount
        $r = Clear-ContainerImage -Root $root -Confirm:$false
        $r | Should -BeOfType ([Berth.Model.ContainerStorePruneResult])
        $r.BlobsRemoved | Should -Be 0
        Get-BlobCount | Should -Be $before
    }

    It '-WhatIf removes nothing' {
        Remove-ContainerImage $BusyboxImage -Root $root
        $before = Get-BlobCount
        Clear-ContainerImage -Root $root -WhatIf
        Get-BlobCount | Should -Be $before
    }

    It 'removes the blobs of a deleted image and reports the space freed' {
        $before = Get-BlobCount
        $r = Clear-ContainerImage -Root $root -Confirm:$false
        $r.BlobsRemoved | Should -BeGreaterThan 0
        $r.BytesFreed | Should -BeGreaterThan 0
        Get-BlobCount | Should -Be ($before - $r.BlobsRemoved)
        (Test-ContainerStore -Root $root).Healthy | Should -BeTrue
        (Get-ContainerImage $SmallImage -Root $root).Id | Should -Be $small.Id
    }

    It 'asks for confirmation by default (ConfirmImpact High)' {
        (Get-Command Clear-ContainerImage).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
    }

    It 'renders as a list with the space freed' {
        $text = Clear-ContainerImage -Root $root -Confirm:$false | Get-Rendered
        $text | Should -Match 'BlobsRemoved\s+: 0'
        $text | Should -Match 'SpaceFreed\s+: 0\.0 MB'
    }
}
