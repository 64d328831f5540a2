# Every cmdlet has help with a synopsis, a description, examples and every parameter described.
Describe 'Get-Help' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $commands = @(Get-Command -Module Berth -CommandType Cmdlet)
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    }

    It 'the module exports the 20 cmdlets of the manifest' {
        $commands.Count | Should -Be 20
    }

    It 'every cmdlet has a synopsis and a description' {
        foreach ($c in $commands) {
            $h = Get-Help $c.Name
            $h.Synopsis | Should -Not -BeNullOrEmpty -Because "$($c.Name) needs a synopsis"
            $h.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($c.Name))" -Because "$($c.Name) has generated help only"
            ($h.description | ForEach-Object Text) -join ' ' | Should -Not -BeNullOrEmpty -Because "$($c.Name) needs a description"
        }
    }

    It 'every cmdlet has at least one example that calls it' {
        foreach ($c in $commands) {
            $examples = @((Get-Help $c.Name).examples.example)
            $examples.Count | Should -BeGreaterThan 0 -Because "$($c.Name) needs an example"
            ($examples.code -join "`n") | Should -Match ([regex]::Escape($c.Name)) -Because "an example of $($c.Name) should use it"
        }
    }

    It 'every parameter of every cmdlet is described' {
        foreach ($c in $commands) {
            $documented = @((Get-Help $c.Name).parameters.parameter | Where-Object { $_.description } | ForEach-Object name)
            foreach ($p in $c.Parameters.Keys) {
                if ($common -contains $p) { continue }
                $documented | Should -Contain $p -Because "$($c.Name) -$p needs a description"
            }
        }
    }
}
