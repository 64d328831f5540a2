# The views in formats/: rendered by PowerShell's formatting engine through Out-Default into the
# test host (Out-String and Format-Table/-List are in Microsoft.PowerShell.Utility, which the
# reachable NuGet copy lacks, so a type's first view — the one Out-Default picks — is what we test).
Describe 'Berth.format.ps1xml and Berth.types.ps1xml' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $img = Request-ContainerImage $SmallImage -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It 'an image row shows the repository, tag, short id, date, human size and platform' {
        $text = $img | Get-Rendered
        $lines = @($text -split "`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Repository\s+Tag\s+ImageId\s+Created\s+Size\s+Platform$'
        $lines[2] | Should -Match ("^" + [regex]::Escape("$Registry/berth/small") + '\s+v1\s+[0-9a-f]{12}\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d+(\.\d)? (B|KB)\s+linux/amd64$')
    }

    It 'an untagged image reads <none>' {
        $untagged = [Berth.Model.ContainerImage]@{ Id = 'sha256:' + ('ab' * 32); Size = 1536 }
        $text = $untagged | Get-Rendered
        $text | Should -Match '<none>\s+<none>\s+abababababab'
        $text | Should -Match '1\.5 KB'
    }

    It 'types add SizeMB and the ImageId alias' {
        $img.ImageId | Should -Be $img.Id
        $img.SizeMB | Should -Be ([math]::Round($img.Size / 1MB, 1))
    }

    It 'a removal renders as a list of what was untagged and deleted' {
        $r = [Berth.Model.ContainerImageRemoval]@{ Name = 'x'; Untagged = @('a:1', 'b:2'); Deleted = @('sha256:1') }
        $text = $r | Get-Rendered
        $text | Should -Match 'Untagged\s+: a:1, b:2'
        $text | Should -Match 'Deleted\s+: sha256:1'
    }

    It 'every view in the format file names a type the module defines' {
        [xml]$x = [System.IO.File]::ReadAllText([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($ModulePath), 'Berth.format.ps1xml'))
        foreach ($t in $x.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName) {
            ($t -as [type]) | Should -Not -BeNullOrEmpty -Because "$t is selected by a view"
        }
    }
}
