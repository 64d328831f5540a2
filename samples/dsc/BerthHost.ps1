<#
.SYNOPSIS
    A DSC configuration that keeps an image in the store and a container running from it.
.DESCRIPTION
    For Windows PowerShell 5.1's Local Configuration Manager (or PSDesiredStateConfiguration in
    PowerShell 7) with the Berth module installed. The resources' Get/Test/Set are tested by
    tests/pester/Berth.Dsc.Tests.ps1; compiling and applying this configuration needs the DSC
    engine, which this repository's test host does not have.
.EXAMPLE
    . ./samples/dsc/BerthHost.ps1; BerthHost -OutputPath ./BerthHost; Start-DscConfiguration ./BerthHost -Wait -Verbose
#>
Configuration BerthHost {
    param([string]$Image = 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022')

    Import-DscResource -ModuleName Berth

    Node localhost {
        ContainerImage iis {
            Reference = $Image
            Ensure    = 'Present'
        }
        Container web {
            Name      = 'web'
            Image     = $Image
            State     = 'Running'
            Ensure    = 'Present'
            DependsOn = '[ContainerImage]iis'
        }
    }
}
