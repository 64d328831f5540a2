# Shared by the *.Tests.ps1 files (dot-source it in BeforeAll): imports the built module and
# gives each file its own temporary store. run.sh exports the registry addresses and paths.
# Plain variables (not $script:): dot-sourced in BeforeAll they land in the scope real Pester 5
# shares with the Its of the block, as PesterLite does.

$ModulePath = if ($env:BERTH_MODULE) { $env:BERTH_MODULE } else { "$PSScriptRoot/../../build/module/Berth/Berth.psd1" }
Import-Module $ModulePath -Force -ErrorAction Stop

$Registry = $env:BERTH_TEST_REGISTRY          # 127.0.0.1:port, anonymous
$AuthRegistry = $env:BERTH_TEST_AUTH_REGISTRY  # 127.0.0.1:port, htpasswd
$SmallImage = "$Registry/berth/small:v1"
$BigImage = "$Registry/berth/big:v1"
$BusyboxImage = "$Registry/berth/busybox:v1"

function New-TestRoot {
    # A fresh store under /tmp (never /var/lib/berth in tests).
    $base = if ($env:BERTH_TEST_TMP) { $env:BERTH_TEST_TMP } else { [System.IO.Path]::GetTempPath() }
    $dir = [System.IO.Path]::Combine($base, "store-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
    [void][System.IO.Directory]::CreateDirectory($dir)
    $dir
}

function Remove-TestRoot([string]$Path) {
    if ($Path -and [System.IO.Directory]::Exists($Path)) { [System.IO.Directory]::Delete($Path, $true) }
}

# Skip (with the reason) a test whose native call no branch has implemented yet.

function New-TestCredential([string]$User, [string]$Password) {
    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Password.ToCharArray()) { $secure.AppendChar($c) }
    [System.Management.Automation.PSCredential]::new($User, $secure)
}

# Runs a script in a second PowerShell (same module, own runspace) so a test can stop it with
# PowerShell.Stop() — exactly what Ctrl+C does — and read its streams.
function New-TestPowerShell {
    # CreateDefault2: the default set without the console-host snap-in, which only pwsh itself ships.
    $ps = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
    $null = $ps.AddCommand('Import-Module').AddArgument($ModulePath).AddParameter('ErrorAction', 'Stop')
    $null = $ps.Invoke()
    $ps.Commands.Clear()
    $ps
}

# Renders objects through PowerShell's formatting engine (Out-Default → the host), captured.
# Out-String is not in the bare engine (it is in Microsoft.PowerShell.Utility).
function Get-Rendered {
    param([Parameter(ValueFromPipeline)]$InputObject)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        $Host.PrivateData.StartCapture()
        try { $items | Out-Default } finally { $text = $Host.PrivateData.StopCapture() }
        $text
    }
}

$RootFS = $env:BERTH_TEST_ROOTFS

# A container on the busybox root file system (no image needed), with a unique name.
function New-TestContainer {
    param([string]$Root, [string[]]$Command = @('sh', '-c', 'echo hello'), [string]$Name)
    if (-not $Name) { $Name = 't' + [guid]::NewGuid().ToString('N').Substring(0, 10) }
    New-Container -RootFS $RootFS -Name $Name -Command $Command -Root $Root -ErrorAction Stop
}

$SlowRegistry = $env:BERTH_TEST_SLOW_REGISTRY   # the open registry behind a trickling proxy

# Waits (bounded) until $Condition is true; returns whether it became true.
function Wait-Until([scriptblock]$Condition, [int]$Seconds = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        [System.Threading.Thread]::Sleep(50)
    }
    return $false
}

# Select-Object -First 1 is not in the bare engine (Utility module).
function Select-FirstItem {
    param([Parameter(ValueFromPipeline)]$InputObject)
    begin { $done = $false }
    process { if (-not $done) { $done = $true; $InputObject } }
}
