Describe 'Disconnect-ContainerRegistry' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $good = New-TestCredential $env:BERTH_TEST_USER $env:BERTH_TEST_PASSWORD
        Connect-ContainerRegistry -Registry $AuthRegistry -Credential $good -Root $root
    }
    AfterAll { Remove-TestRoot $root }

    It '-WhatIf keeps the stored credentials' {
        $file = [System.IO.Directory]::GetFiles($root, '*auth*.json', 'AllDirectories')[0]
        Disconnect-ContainerRegistry $AuthRegistry -Root $root -WhatIf
        [System.IO.File]::ReadAllText($file) | Should -Match ([regex]::Escape($AuthRegistry))
    }

    It 'forgets the stored credentials' {
        $file = [System.IO.Directory]::GetFiles($root, '*auth*.json', 'AllDirectories')[0]
        Disconnect-ContainerRegistry $AuthRegistry -Root $root
        $left = if ([System.IO.File]::Exists($file)) { [System.IO.File]::ReadAllText($file) } else { '' }
        $left | Should -Not -Match ([regex]::Escape($AuthRegistry))
    }

    It 'a registry with nothing stored is ObjectNotFound' {
        $err = { Disconnect-ContainerRegistry '127.0.0.1:1' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be '127.0.0.1:1'
    }
}
