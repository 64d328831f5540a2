Describe 'Connect-ContainerRegistry' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
        $good = New-TestCredential $env:BERTH_TEST_USER $env:BERTH_TEST_PASSWORD
        $bad = New-TestCredential $env:BERTH_TEST_USER 'not-the-password'
    }
    AfterAll { Remove-TestRoot $root }

    It 'signs in with the right credentials and stores them 0600' {
        Connect-ContainerRegistry -Registry $AuthRegistry -Credential $good -Root $root
        $files = [System.IO.Directory]::GetFiles($root, '*auth*.json', 'AllDirectories')
        $files | Should -Not -BeNullOrEmpty
        [System.IO.File]::GetUnixFileMode($files[0]) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        [System.IO.File]::ReadAllText($files[0]) | Should -Match ([regex]::Escape($AuthRegistry))
    }

    It '-PassThru writes the registry and user' {
        $r = Connect-ContainerRegistry $AuthRegistry $good -Root $root -PassThru
        $r | Should -BeOfType ([Berth.Model.ContainerRegistryLogin])
        $r.Registry | Should -Be $AuthRegistry
        $r.UserName | Should -Be $env:BERTH_TEST_USER
    }

    It 'refuses a wrong password with an AuthenticationError that says what to do' {
        $err = { Connect-ContainerRegistry -Registry $AuthRegistry -Credential $bad -Root $root -ErrorAction Stop } |
            Should -Throw -ErrorId 'BerthAuthenticationFailed,Berth.Commands.ConnectContainerRegistryCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception | Should -BeOfType ([System.UnauthorizedAccessException])
        $err.TargetObject | Should -Be $AuthRegistry
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-ContainerRegistry'
    }

    It 'a refused sign-in does not replace the stored good credentials' {
        $files = [System.IO.Directory]::GetFiles($root, '*auth*.json', 'AllDirectories')
        $before = [System.IO.File]::ReadAllText($files[0])
        Connect-ContainerRegistry -Registry $AuthRegistry -Credential $bad -Root $root -ErrorAction SilentlyContinue
        [System.IO.File]::ReadAllText($files[0]) | Should -Be $before
    }

    It 'names a registry nobody listens on as a ConnectionError' {
        # port 1 on loopback: nothing listens there, the connection is refused at once
        $err = { Connect-ContainerRegistry -Registry '127.0.0.1:1' -Credential $good -Root $root -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match '127\.0\.0\.1:1'
    }

    It '-WhatIf checks and stores nothing' {
        $other = New-TestRoot
        try {
            Connect-ContainerRegistry -Registry $AuthRegistry -Credential $good -Root $other -WhatIf
            [System.IO.Directory]::GetFiles($other, '*auth*.json', 'AllDirectories') | Should -BeNullOrEmpty
        } finally { Remove-TestRoot $other }
    }

    It 'takes the credential as a mandatory PSCredential' {
        $p = (Get-Command Connect-ContainerRegistry).Parameters['Credential']
        $p.ParameterType | Should -Be ([System.Management.Automation.PSCredential])
        $p.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
    }
}
