# The module as PowerShell sees it: the manifest, exports, aliases, PowerShell conventions.
Describe 'Berth module' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $manifest = Test-ModuleManifest -Path $ModulePath -ErrorAction Stop
        $commands = @(Get-Command -Module Berth -CommandType Cmdlet)
    }

    It 'has a valid manifest that targets Windows PowerShell 5.1 and PowerShell 7' {
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
        $manifest.Description | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets and aliases the manifest lists (no wildcards)' {
        # Import-PowerShellDataFile and Sort-Object are not in the bare engine (Utility module).
        $text = [System.IO.File]::ReadAllText($ModulePath)
        $text | Should -Not -Match "(CmdletsToExport|AliasesToExport)\s*=\s*'\*'"
        [string[]]$listed = @($manifest.ExportedCmdlets.Keys); [Array]::Sort($listed)
        [string[]]$loaded = @($commands.Name); [Array]::Sort($loaded)
        $loaded -join ',' | Should -Be ($listed -join ',')
        $manifest.ExportedAliases.Count | Should -BeGreaterThan 0
        foreach ($a in $manifest.ExportedAliases.Keys) {
            (Get-Command $a -ErrorAction Stop).ResolvedCommandName | Should -BeIn $listed -Because "alias $a"
        }
    }

    It 'uses only approved verbs' {
        $approved = foreach ($t in [System.Management.Automation.VerbsCommon], [System.Management.Automation.VerbsLifecycle],
            [System.Management.Automation.VerbsData], [System.Management.Automation.VerbsDiagnostic],
            [System.Management.Automation.VerbsCommunications], [System.Management.Automation.VerbsSecurity],
            [System.Management.Automation.VerbsOther]) { foreach ($f in $t.GetFields()) { $f.GetValue($null) } }
        foreach ($c in $commands) { $c.Verb | Should -BeIn $approved -Because $c.Name }
    }

    It 'every cmdlet that changes state supports -WhatIf and -Confirm' {
        $readOnly = 'Get-ContainerImage', 'Get-Container', 'Get-ContainerLog', 'Wait-Container'
        foreach ($c in $commands | Where-Object { $readOnly -notcontains $_.Name }) {
            $c.Parameters.Keys | Should -Contain 'WhatIf' -Because $c.Name
            $c.Parameters.Keys | Should -Contain 'Confirm' -Because $c.Name
        }
    }

    It 'every cmdlet declares its output type and takes -Root' {
        foreach ($c in $commands) {
            $c.OutputType.Count | Should -BeGreaterThan 0 -Because $c.Name
            $c.Parameters.Keys | Should -Contain 'Root' -Because $c.Name
        }
    }

    It 'image cmdlets bind names from the pipeline by value and by property name' {
        foreach ($name in 'Get-ContainerImage', 'Remove-ContainerImage', 'Request-ContainerImage') {
            $p = (Get-Command $name).Parameters['Name'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            $p.ValueFromPipeline | Should -Contain $true -Because $name
            $p.ValueFromPipelineByPropertyName | Should -Contain $true -Because $name
        }
    }

    It 'container cmdlets take -InputObject typed Container by value' {
        foreach ($name in 'Start-Container', 'Stop-Container', 'Remove-Container', 'Restart-Container', 'Wait-Container') {
            $p = (Get-Command $name).Parameters['InputObject']
            $p.ParameterType | Should -Be ([Berth.Model.Container[]]) -Because $name
        }
    }

    It 'reports the native library version' {
        [Berth.Interop.Engine]::Version() | Should -Match '^\d+\.\d+'
    }

    It 'a missing native call is a NotImplemented error naming the function, not a crash' {
        # A function name no libberth exports goes through the same mapping as a missing one.
        [Berth.Interop.Engine]::HasFunction('berth_no_such_function') | Should -BeFalse
        [Berth.Interop.Engine]::HasFunction('berth_open') | Should -BeTrue
        $e = [Berth.Interop.BerthError]::Exception([Berth.Interop.BerthError]::MissingEntryPoint, 'x')
        $e.Category | Should -Be 'NotImplemented'
        $e.ErrorId | Should -Be 'BerthNativeCallMissing'
    }
}

Describe 'BerthError table' {
    BeforeAll { . $PSScriptRoot/Common.ps1 }

    It 'maps <code> to <category> and <type>' -TestCases @(
        @{ code = -3; category = 'ObjectNotFound'; type = [System.Management.Automation.ItemNotFoundException] }
        @{ code = -5; category = 'InvalidArgument'; type = [System.ArgumentException] }
        @{ code = -6; category = 'AuthenticationError'; type = [System.UnauthorizedAccessException] }
        @{ code = -7; category = 'InvalidData'; type = [System.IO.InvalidDataException] }
        @{ code = -9; category = 'ResourceBusy'; type = [System.InvalidOperationException] }
        @{ code = -10; category = 'OperationStopped'; type = [System.OperationCanceledException] }
        @{ code = -11; category = 'ConnectionError'; type = [System.IO.IOException] }
        @{ code = -14; category = 'SecurityError'; type = [System.Security.SecurityException] }
    ) {
        param($code, $category, $type)
        $e = [Berth.Interop.BerthError]::Exception($code, 'message from the library')
        $r = $e.ToErrorRecord('target')
        $r.CategoryInfo.Category | Should -Be $category
        $r.Exception | Should -BeOfType $type
        $r.TargetObject | Should -Be 'target'
        $r.ErrorDetails.Message | Should -Be 'message from the library'
        $r.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'names codes through berth_strerror' {
        [Berth.Interop.BerthError]::Name(-3) | Should -Be 'BERTH_ENOTFOUND'
    }
}
