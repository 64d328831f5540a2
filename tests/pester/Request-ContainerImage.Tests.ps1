Describe 'Request-ContainerImage' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll { Remove-TestRoot $root }

    It 'pulls an image from the registry and writes it' {
        $img = Request-ContainerImage $SmallImage -Root $root
        $img | Should -BeOfType ([Berth.Model.ContainerImage])
        $img.Repository | Should -Be "$Registry/berth/small"
        $img.Tag | Should -Be 'v1'
        $img.Id | Should -Match '^sha256:[0-9a-f]{64}$'
        $img.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
        $img.Platform | Should -Be 'linux/amd64'
        $img.LayerCount | Should -Be 4
        $img.Size | Should -BeGreaterThan 0
        (Get-ContainerImage $SmallImage -Root $root).Id | Should -Be $img.Id
    }

    It 'writes a progress record per layer under one parent, completed at the end' {
        $ps = New-TestPowerShell
        $null = $ps.AddCommand('Request-ContainerImage').AddParameter('Name', "$Registry/berth/small:v2").AddParameter('Root', (New-TestRoot))
        $out = $ps.Invoke()
        $ps.HadErrors | Should -BeFalse
        $out.Count | Should -Be 1
        $records = @($ps.Streams.Progress)
        $layers = @($records | Where-Object { $_.ParentActivityId -eq 1 } | ForEach-Object Activity)
        $unique = [System.Collections.Generic.HashSet[string]]::new([string[]]$layers)
        $unique.Count | Should -Be 4
        foreach ($l in $unique) { $l | Should -Match '^Layer [0-9a-f]{12}$' }
        $records[-1].RecordType | Should -Be 'Completed'
        $records[-1].ActivityId | Should -Be 1
        $ps.Dispose()
    }

    It 'takes references from the pipeline; a bad one writes its error and the rest go on' {
        $errs = $null
        $out = @("$Registry/berth/nothere:v1", "$Registry/berth/small:v2") | Request-ContainerImage -Root $root -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $out.Tag | Should -Be 'v2'
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be "$Registry/berth/nothere:v1"
    }

    It 'an unknown tag is ObjectNotFound, naming the tag' {
        $err = { Request-ContainerImage "$Registry/berth/small:nope" -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'BerthNotFound,Berth.Commands.RequestContainerImageCommand'
        $err.Exception | Should -BeOfType ([System.Management.Automation.ItemNotFoundException])
        $err.Exception.Message | Should -Match 'nope'
    }

    It 'a malformed reference is InvalidArgument and says which character is wrong' {
        $err = { Request-ContainerImage 'Berth/Bad:ref' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception | Should -BeOfType ([System.ArgumentException])
        $err.Exception.Message | Should -Match 'character'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'a registry that needs credentials is an AuthenticationError until Connect-ContainerRegistry' {
        $private = "$AuthRegistry/berth/private:v1"
        $err = { Request-ContainerImage $private -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-ContainerRegistry'
        Connect-ContainerRegistry $AuthRegistry (New-TestCredential $env:BERTH_TEST_USER $env:BERTH_TEST_PASSWORD) -Root $root
        (Request-ContainerImage $private -Root $root).Tag | Should -Be 'v1'
    }

    It 'a registry nobody listens on is a ConnectionError' {
        $err = { Request-ContainerImage '127.0.0.1:1/berth/small:v1' -Root $root -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It '-Platform for a platform the image does not have is refused, naming the rule, storing nothing' {
        $other = New-TestRoot
        $err = { Request-ContainerImage $SmallImage -Platform linux/arm64 -Root $other -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'BerthPlatformMismatch,*'
        $err.Exception | Should -BeOfType ([System.PlatformNotSupportedException])
        $err.Exception.Message | Should -Match 'arm64'
        Get-ContainerImage -Root $other | Should -BeNullOrEmpty
    }

    It '-Isolation accepts only Process or HyperV' {
        { Request-ContainerImage $SmallImage -Isolation Sandbox -Root $root -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError'
    }

    It '-WhatIf pulls nothing' {
        $other = New-TestRoot
        Request-ContainerImage $SmallImage -Root $other -WhatIf
        Get-ContainerImage -Root $other | Should -BeNullOrEmpty
    }
}

Describe 'Request-ContainerImage cancelled (Ctrl+C)' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll { Remove-TestRoot $root }

    It 'PowerShell.Stop() in the middle of a layer download stops the pipeline cleanly' {
        $ps = New-TestPowerShell
        $null = $ps.AddCommand('Request-ContainerImage').AddParameter('Name', "$SlowRegistry/berth/big:v1").AddParameter('Root', $root)
        $async = $ps.BeginInvoke()
        $downloading = Wait-Until { @($ps.Streams.Progress | Where-Object { $_.StatusDescription -like 'Download*' -and $_.PercentComplete -lt 100 }).Count -gt 0 }
        $downloading | Should -BeTrue -Because 'the slow proxy keeps the download going'
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Streams.Error.Count | Should -Be 0
        $ps.Dispose()
    }

    It 'left no image behind' {
        Get-ContainerImage -Root $root | Should -BeNullOrEmpty
        { Get-ContainerImage "$SlowRegistry/berth/big:v1" -Root $root -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerImageNotFound'
    }

    It 'left a consistent store (Test-ContainerStore)' {
        (Test-ContainerStore -Root $root).Healthy | Should -BeTrue
    }

    It 'a second pull completes and reuses what the first one downloaded' {
        $img = Request-ContainerImage $BigImage -Root $root
        $img.Tag | Should -Be 'v1'
        $img.Size | Should -BeGreaterThan 8MB
    }
}

Describe 'Request-ContainerImage -AsJob' {
    BeforeAll {
        . $PSScriptRoot/Common.ps1
        $root = New-TestRoot
    }
    AfterAll { Remove-TestRoot $root }

    It 'writes a job at once; Wait-Job and Receive-Job give the image and its progress' {
        $job = Request-ContainerImage $SmallImage -Root $root -AsJob
        $job | Should -BeOfType ([Berth.Commands.BerthJob])
        $job.PSJobTypeName | Should -Be 'BerthJob'
        (Get-Job -Id $job.Id).Id | Should -Be $job.Id
        $null = Wait-Job $job -Timeout 120
        $job.State | Should -Be 'Completed'
        @($job.Progress | Where-Object { $_.ParentActivityId -eq 1 }).Count | Should -BeGreaterThan 0
        $img = Receive-Job $job
        $img.Tag | Should -Be 'v1'
        (Get-ContainerImage $SmallImage -Root $root).Id | Should -Be $img.Id
        Remove-Job $job
    }

    It 'a failing reference makes the job Failed with the error in its Error stream' {
        $job = Request-ContainerImage "$Registry/berth/small:absent" -Root $root -AsJob
        $null = Wait-Job $job -Timeout 120
        $job.State | Should -Be 'Failed'
        $job.Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Remove-Job $job
    }

    It 'Stop-Job cancels a download in progress and stores no image' {
        $other = New-TestRoot
        $job = Request-ContainerImage "$SlowRegistry/berth/big:v1" -Root $other -AsJob
        Wait-Until { @($job.Progress | Where-Object { $_.StatusDescription -like 'Download*' }).Count -gt 0 } | Should -BeTrue
        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        Get-ContainerImage -Root $other | Should -BeNullOrEmpty
        Remove-Job $job
    }
}
