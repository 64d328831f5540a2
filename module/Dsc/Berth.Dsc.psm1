# DSC class resources over the Berth cmdlets: an image that should (not) be in the store, a
# container that should (not) exist and be running or stopped. Windows PowerShell 5.1's Local
# Configuration Manager loads them through Berth.psd1's DscResourcesToExport; they call the same
# cmdlets an administrator types, so a configuration behaves exactly like the commands.

enum Ensure {
    Absent
    Present
}

# -Root only when the configuration sets it: otherwise the cmdlets' default store.
function Get-BerthRootParameter([string]$Root) {
    if ($Root) { @{ Root = $Root } } else { @{} }
}

[DscResource()]
class ContainerImage {
    # The image reference, e.g. mcr.microsoft.com/windows/nanoserver:ltsc2022.
    [DscProperty(Key)] [string]$Reference
    [DscProperty()] [Ensure]$Ensure = [Ensure]::Present
    # os/arch[/variant][:os.version]; default: this host.
    [DscProperty()] [string]$Platform
    [DscProperty()] [string]$Root
    [DscProperty(NotConfigurable)] [string]$Id

    hidden [object] Find() {
        $r = Get-BerthRootParameter $this.Root
        return Get-ContainerImage -Name $this.Reference @r -ErrorAction SilentlyContinue
    }

    [ContainerImage] Get() {
        $found = $this.Find()
        $state = [ContainerImage]::new()
        $state.Reference = $this.Reference
        $state.Platform = $this.Platform
        $state.Root = $this.Root
        $state.Ensure = if ($found) { [Ensure]::Present } else { [Ensure]::Absent }
        $state.Id = if ($found) { @($found)[0].Id } else { $null }
        return $state
    }

    [bool] Test() {
        $present = $null -ne $this.Find()
        return $present -eq ($this.Ensure -eq [Ensure]::Present)
    }

    [void] Set() {
        $r = Get-BerthRootParameter $this.Root
        if ($this.Ensure -eq [Ensure]::Present) {
            $p = @{}
            if ($this.Platform) { $p.Platform = $this.Platform }
            $null = Request-ContainerImage -Name $this.Reference @p @r -ErrorAction Stop
        } elseif ($this.Find()) {
            Remove-ContainerImage -Name $this.Reference @r -ErrorAction Stop
        }
    }
}

[DscResource()]
class Container {
    [DscProperty(Key)] [string]$Name
    # The image to create the container from (pulled first when missing).
    [DscProperty(Mandatory)] [string]$Image
    [DscProperty()] [Ensure]$Ensure = [Ensure]::Present
    # Running or Stopped (created or exited).
    [DscProperty()] [ValidateSet('Running', 'Stopped')] [string]$State = 'Running'
    [DscProperty()] [string[]]$Command
    [DscProperty()] [string]$Root
    [DscProperty(NotConfigurable)] [string]$Id
    [DscProperty(NotConfigurable)] [string]$Status

    hidden [object] Find() {
        $r = Get-BerthRootParameter $this.Root
        return Get-Container -Name $this.Name @r -ErrorAction SilentlyContinue
    }

    # A container whose restart policy waits before its next run is up, as far as DSC goes
    # (docker counts it as running too): starting it again would fail.
    hidden static [bool] IsUp([object]$c) {
        return $null -ne $c -and ($c.Status -eq 'running' -or $c.Status -eq 'restarting')
    }

    [Container] Get() {
        $found = $this.Find()
        $s = [Container]::new()
        $s.Name = $this.Name
        $s.Image = if ($found) { $found.Image } else { $this.Image }
        $s.Root = $this.Root
        $s.Command = $this.Command
        $s.Ensure = if ($found) { [Ensure]::Present } else { [Ensure]::Absent }
        $s.Id = if ($found) { $found.Id } else { $null }
        $s.Status = if ($found) { $found.Status } else { $null }
        $s.State = if ([Container]::IsUp($found)) { 'Running' } else { 'Stopped' }
        return $s
    }

    [bool] Test() {
        $found = $this.Find()
        if ($this.Ensure -eq [Ensure]::Absent) { return $null -eq $found }
        if ($null -eq $found) { return $false }
        return [Container]::IsUp($found) -eq ($this.State -eq 'Running')
    }

    [void] Set() {
        $r = Get-BerthRootParameter $this.Root
        $found = $this.Find()
        if ($this.Ensure -eq [Ensure]::Absent) {
            if ($found) { Remove-Container -Name $this.Name -Force @r -ErrorAction Stop }
            return
        }
        if (-not $found) {
            if (-not (Get-ContainerImage -Name $this.Image @r -ErrorAction SilentlyContinue)) {
                $null = Request-ContainerImage -Name $this.Image @r -ErrorAction Stop
            }
            $c = @{}
            if ($this.Command) { $c.Command = $this.Command }
            $found = New-Container -Image $this.Image -Name $this.Name @c @r -ErrorAction Stop
        }
        if ($this.State -eq 'Running' -and -not [Container]::IsUp($found)) {
            Start-Container -Name $this.Name @r -ErrorAction Stop
        } elseif ($this.State -eq 'Stopped' -and [Container]::IsUp($found)) {
            Stop-Container -Name $this.Name @r -ErrorAction Stop
        }
    }
}
