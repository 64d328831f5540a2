Describe 'Get-Container' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $null = New-TestContainer -Root $root -Name 'web-1' -Command 'sleep', '300'
        $null = New-TestContainer -Root $root -Name 'web-2'
        $null = New-TestContainer -Root $root -Name 'db'
        Start-Container web-1 -Root $root
    }
    AfterAll {
        Get-Container -Root $root -ErrorAction SilentlyContinue | Remove-Container -Force -Root $root -ErrorAction SilentlyContinue
        Remove-TestRoot $root
    }

    It 'lists every container, running or not' {
        $all = @(Get-Container -Root $root)
        $all.Count | Should -Be 3
        $all | ForEach-Object { $_ | Should -BeOfType ([Berth.Model.Container]) }
    }

    It 'filters by -Status' {
        @(Get-Container -Status Running -Root $root).Name | Should -Be @('web-1')
        @(Get-Container -Status Created -Root $root).Count | Should -Be 2
    }

    It 'matches names with wildcards and by id prefix' {
        @(Get-Container 'web-*' -Root $root).Count | Should -Be 2
        $db = Get-Container db -Root $root
        (Get-Container $db.ShortId -Root $root).Name | Should -Be 'db'
    }

    It 'an unknown exact name is a ContainerNotFound error; a wildcard that matches nothing is silent' {
        $err = { Get-Container 'nobody' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        Get-Container 'nobody*' -Root $root -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'completes container names from the store' {
        $r = TabExpansion2 -inputScript "Get-Container -Root $root -Name we" -cursorColumn ("Get-Container -Root $root -Name we".Length)
        @($r.CompletionMatches.CompletionText) | Should -Contain 'web-1'
        @($r.CompletionMatches.CompletionText) | Should -Not -Contain 'db'
    }

    It 'renders the default table with name, status and image' {
        $text = Get-Container -Root $root | Get-Rendered
        $text | Should -Match 'Name\s+Status\s+ExitCode\s+Image'
        $text | Should -Match 'web-1\s+running'
        $text | Should -Match 'db\s+created'
    }
}
