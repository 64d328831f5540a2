<#
.SYNOPSIS
    The PowerShell part of `make demo` (samples/demo.sh calls it through tests/pester/host):
    import the module, pull with progress, list, browse the drive, create and start a container,
    read its log.
#>
param([Parameter(Mandatory)][string]$Image, [Parameter(Mandatory)][string]$Root, [string]$ModulePath)
$ErrorActionPreference = 'Stop'
if (-not $ModulePath) { $ModulePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'build', 'module', 'Berth', 'Berth.psd1') }

function Say([string]$Text) { $Host.UI.WriteLine(''); $Host.UI.WriteLine("== $Text") }
function Show([string]$Line) { $Host.UI.WriteLine("PS> $Line") }

Say 'Import the module'
Show "Import-Module Berth"
Import-Module $ModulePath
Get-Command -Module Berth -CommandType Cmdlet | ForEach-Object Name | Out-Default

Say 'Pull with progress (one record per layer)'
Show "Request-ContainerImage $Image -Root $Root"
$Host.PrivateData.ShowProgress = $true
$img = Request-ContainerImage $Image -Root $Root
$Host.PrivateData.ShowProgress = $false
$img | Out-Default

Say 'List the images'
Show "Get-ContainerImage -Root $Root"
Get-ContainerImage -Root $Root | Out-Default

Say 'Browse the Containers: drive'
Show 'Get-ChildItem Containers:\Images -Recurse'
$env:BERTH_ROOT = $Root
$ExecutionContext.InvokeProvider.ChildItem.Get('Containers:\Images', $true) |
    ForEach-Object { $_.PSPath -replace '^.*::', 'Containers:\' } | Out-Default

Say 'Create and start a container, wait for it, read its log'
Show "New-Container $Image -Name demo -Command sh, -c, 'echo hello from a Berth container; uname -a' | Start-Container -PassThru"
try {
    New-Container $Image -Name demo -Command sh, -c, 'echo hello from a Berth container; uname -a' -Root $Root |
        Start-Container -Root $Root -PassThru | Out-Default
    Show 'Wait-Container demo'
    Wait-Container demo -Root $Root -Timeout 60 | Out-Default
    Show 'Get-ContainerLog demo'
    Get-ContainerLog demo -Root $Root | Out-Default
    Show 'Get-Container -Status Exited | Remove-Container'
    Get-Container -Status Exited -Root $Root | Remove-Container -Root $Root
} catch {
    $Host.UI.WriteErrorLine("container step failed: $($_.Exception.Message)")
    $Host.UI.WriteErrorLine("  $($_.ErrorDetails.RecommendedAction)")
    exit 1
}

Say 'Remove the image, seeing first what would happen'
Show "Remove-ContainerImage $Image -WhatIf"
Remove-ContainerImage $Image -Root $Root -WhatIf
