@{
    RootModule        = 'PesterLite.psm1'
    ModuleVersion     = '0.1.0'
    GUID              = 'c0c5f3f4-6a53-4c83-9d0a-5f2d8e0b7a11'
    Author            = 'Berth'
    Description       = 'A small Pester-compatible subset (Describe/Context/It, Before/After blocks, Should) that prints TAP. Used because Pester is not in the NuGet copy this project can reach.'
    PowerShellVersion = '5.1'
    FunctionsToExport = @('Describe', 'Context', 'It', 'BeforeAll', 'AfterAll', 'BeforeEach', 'AfterEach',
                          'Should', 'Set-ItResult', 'Get-PesterLiteResult')
    CmdletsToExport   = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
