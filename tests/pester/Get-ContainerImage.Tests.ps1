Describe 'Get-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $small = Request-ContainerImage $SmallImage -Root $root
        $null = Request-ContainerImage "$Registry/berth/small:v2" -Root $root
        $busy = Request-ContainerImage $BusyboxImage -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It 'lists one object per repository:tag' {
        $all = @(Get-ContainerImage -Root $root)
        $all.Count | Should -Be 3
        @($all | Where-Object Id -eq $small.Id).Count | Should -Be 2   # v1 and v2 are one image
    }

    It 'finds by reference, by id and by id prefix' {
        (Get-ContainerImage $BusyboxImage -Root $root).Id | Should -Be $busy.Id
        (Get-ContainerImage $busy.Id -Root $root).Repository | Should -Be "$Registry/berth/busybox"
        (Get-ContainerImage $busy.ShortId -Root $root).Id | Should -Be $busy.Id
    }

    It 'matches wildcards against the repository and reference' {
        @(Get-ContainerImage '*berth/small*' -Root $root).Count | Should -Be 2
        @(Get-ContainerImage '*:v2' -Root $root).Tag | Should -Be @('v2')
        Get-ContainerImage '*nothing-like-this*' -Root $root | Should -BeNullOrEmpty
    }

    It 'an unknown name is ContainerImageNotFound with a recommended action' {
        $err = { Get-ContainerImage "$Registry/berth/ghost:1" -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ContainerImageNotFound,Berth.Commands.GetContainerImageCommand'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Request-ContainerImage'
    }

    It 'an empty store lists nothing' {
        $empty = New-TestRoot
        Get-ContainerImage -Root $empty | Should -BeNullOrEmpty
    }

    It 'honours $env:BERTH_ROOT when -Root is not given' {
        $saved = $env:BERTH_ROOT
        try {
            $env:BERTH_ROOT = $root
            @(Get-ContainerImage).Count | Should -Be 3
        } finally { $env:BERTH_ROOT = $saved }
    }

    It 'completes image references from the store' {
        $line = "Get-ContainerImage -Root $root -Name $Registry/berth/bu"
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        @($r.CompletionMatches.CompletionText) | Should -Be @($BusyboxImage)
    }

    It 'renders a table with repository, tag, id, created and size' {
        $text = Get-ContainerImage -Root $root | Get-Rendered
        $text | Should -Match 'Repository\s+Tag\s+ImageId\s+Created\s+Size\s+Platform'
        $text | Should -Match ([regex]::Escape("$Registry/berth/busybox") + '\s+v1\s+' + $busy.ShortId)
        $text | Should -Match '\d+(\.\d)? (B|KB|MB)\s+linux/amd64'
    }
}

Describe 'Image name completion' {
    BeforeAll { . $PSScriptRoot/Common.ps1 }

    It 'never creates a store when the root does not exist' {
        $missing = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'berth-no-store-' + [guid]::NewGuid().ToString('N'))
        $line = "Get-ContainerImage -Root $missing -Name x"
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        @($r.CompletionMatches | Where-Object ResultType -eq 'ParameterValue') | Should -BeNullOrEmpty
        [System.IO.Directory]::Exists($missing) | Should -BeFalse
    }
}

Describe 'Get-ContainerImage -All' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $small = Request-ContainerImage $SmallImage -Root $root
        $busy = Request-ContainerImage $BusyboxImage -Root $root
        Add-ContainerImageTag $busy.Id $SmallImage -Root $root    # the tag moves: small is left untagged
    }
    AfterAll { Remove-TestRoot $root }

    It 'hides an image whose only tag moved away, and -All shows it as <none>' {
        @(Get-ContainerImage -Root $root | Where-Object Id -eq $small.Id) | Should -BeNullOrEmpty
        $dangling = @(Get-ContainerImage -All -Root $root | Where-Object Id -eq $small.Id)
        $dangling.Count | Should -Be 1
        $dangling[0].Tag | Should -BeNullOrEmpty
        ($dangling[0] | Get-Rendered) | Should -Match ('<none>\s+<none>\s+' + $small.ShortId)
    }
}
