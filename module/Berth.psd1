@{
    RootModule           = 'Berth.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0b2a43-2f8e-4d0c-9a5b-b6f0a9c3e1d7'
    Author               = 'The Berth authors'
    CompanyName          = 'Berth'
    Copyright            = '(c) The Berth authors. All rights reserved.'
    Description          = 'Berth: a daemonless container engine inside PowerShell. Pull, tag, push, import and export OCI/Docker images, and create, start, stop and inspect containers (HCS on Windows, runc on Linux), with a Containers: drive.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    NestedModules        = @('Dsc/Berth.Dsc.psm1')
    DscResourcesToExport = @('ContainerImage', 'Container')
    FormatsToProcess     = @('Berth.format.ps1xml')
    TypesToProcess       = @('Berth.types.ps1xml')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    CmdletsToExport      = @(
        'Request-ContainerImage', 'Get-ContainerImage', 'Remove-ContainerImage', 'Add-ContainerImageTag',
        'Import-ContainerImage', 'Export-ContainerImage', 'Submit-ContainerImage', 'Clear-ContainerImage',
        'Connect-ContainerRegistry', 'Disconnect-ContainerRegistry', 'Test-ContainerStore',
        'New-Container', 'Start-Container', 'Stop-Container', 'Restart-Container', 'Remove-Container',
        'Get-Container', 'Wait-Container', 'Invoke-ContainerCommand', 'Get-ContainerLog'
    )
    AliasesToExport      = @(
        'rqcimg', 'gcimg', 'rcimg', 'acimg', 'ipcimg', 'epcimg', 'sbcimg', 'clcimg',
        'ccr', 'dcr', 'tcs',
        'nctr', 'sactr', 'spctr', 'rtctr', 'rctr', 'gctr', 'wctr', 'ictr', 'gctrl'
    )
    PrivateData          = @{
        PSData = @{
            Tags         = @('Containers', 'Docker', 'OCI', 'HCS', 'runc', 'Images', 'Registry', 'Linux', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
            ReleaseNotes = 'First release: images (pull, list, tag, remove, import/export, push, prune, fsck), registries, containers, the Containers: drive.'
        }
    }
}
