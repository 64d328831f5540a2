<#
.SYNOPSIS
    Berth in five minutes: pull an image, look at it, run a container from it, read its log.
.DESCRIPTION
    Runs in PowerShell 7 or Windows PowerShell 5.1 with the Berth module installed (or built:
    module/restore.sh puts it in build/module/Berth). It uses only Berth's cmdlets and the
    Containers: drive, so it also runs in the repo's test host (tests/pester/host), which has the
    bare PowerShell engine without Microsoft.PowerShell.Utility/Management.
.EXAMPLE
    ./samples/quickstart.ps1 -Image 127.0.0.1:5000/samples/busybox:demo -Root /tmp/berth-quickstart
.EXAMPLE
    ./samples/quickstart.ps1 -Image mcr.microsoft.com/windows/nanoserver:ltsc2022 -Command cmd, /c, ver
#>
param(
    # The image to pull (a loopback registry in the demo; any registry in real use).
    [Parameter(Mandatory)] [string]$Image,
    # A store of its own, so the quickstart never touches the machine's default store.
    [string]$Root = ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'berth-quickstart')),
    # What the container runs; default: the image's own command.
    [string[]]$Command,
    # Where Berth.psd1 is; default: the installed module, else the repo's build.
    [string]$ModulePath
)
$ErrorActionPreference = 'Stop'

if (-not $ModulePath) {
    $built = [System.IO.Path]::Combine($PSScriptRoot, '..', 'build', 'module', 'Berth', 'Berth.psd1')
    $ModulePath = if ([System.IO.File]::Exists($built)) { $built } else { 'Berth' }
}
Import-Module $ModulePath

# 1. Pull: one progress bar per layer; Ctrl+C cancels cleanly and the next pull resumes.
$img = Request-ContainerImage $Image -Root $Root
$img | Out-Default

# 2. What is in the store (one row per repository:tag).
Get-ContainerImage -Root $Root | Out-Default

# 3. The same through the Containers: drive (in pwsh: Get-ChildItem Containers:\Images -Recurse).
$env:BERTH_ROOT = $Root
$ExecutionContext.InvokeProvider.ChildItem.Get('Containers:\Images', $true) |
    ForEach-Object { $_.PSPath -replace '^.*::', 'Containers:\' } | Out-Default

# 4. A container from the image, started, waited for, and its log.
$name = 'quickstart-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
$create = @{ Image = $img.Reference; Name = $name; Root = $Root }
if ($Command) { $create.Command = $Command }
$container = New-Container @create
Start-Container $container.Name -Root $Root
$done = Wait-Container $container.Name -Root $Root -Timeout 60
$done | Out-Default
Get-ContainerLog $container.Name -Root $Root | Out-Default

# 5. Tidy up: the container, then the image (-WhatIf first shows what would go).
Remove-Container $container.Name -Root $Root
Remove-ContainerImage $img.Reference -Root $Root -WhatIf
