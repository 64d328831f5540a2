# Runs one *.Tests.ps1 file with PesterLite and prints its TAP plan; exit status 1 when a test failed.
# Usage (through the test host): BerthTestHost tests/pester/Invoke-PesterLite.ps1 <file.Tests.ps1>
param([Parameter(Mandatory)][string]$Path)
Import-Module "$PSScriptRoot/PesterLite/PesterLite.psd1" -Force   # Join-Path is not in the bare engine
$Host.UI.WriteLine("# $([System.IO.Path]::GetFileName($Path))")
try {
    . $Path
} catch {
    $Host.UI.WriteLine("not ok - $([System.IO.Path]::GetFileName($Path)) stopped: $($_.Exception.Message)")
    exit 1
}
$r = Get-PesterLiteResult
$Host.UI.WriteLine("1..$($r.Count)")
if ($r.Failed -gt 0) { exit 1 }
exit 0
