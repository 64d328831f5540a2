# PesterLite: the part of Pester 5's syntax that Berth's tests use, printing TAP
# ("ok N - Describe Context It", "not ok N - ..." followed by "# " lines with the error).
# Test files stay standard *.Tests.ps1 that real Pester also runs.
#
# Semantics kept from Pester 5: a Describe/Context body only registers blocks; BeforeAll runs
# once before the Its of its block, BeforeEach/AfterEach wrap every It (outer blocks first),
# AfterAll runs even when an It fails, a failing BeforeAll fails every It of its block,
# Set-ItResult -Skipped marks a skip. Not kept: Mock, TestDrive, tags filtering, discovery
# scoping (here everything runs in the test file's scope, as if dot-sourced).

$script:Stack = [System.Collections.Generic.List[object]]::new()
$script:Count = 0
$script:Failed = 0
$script:Skipped = 0

class PesterLiteSkip : System.Exception {
    PesterLiteSkip([string]$because) : base($because) {}
}

function New-Frame([string]$Name) {
    [pscustomobject]@{
        Name = $Name; BeforeAll = [System.Collections.Generic.List[scriptblock]]::new()
        AfterAll = [System.Collections.Generic.List[scriptblock]]::new()
        BeforeEach = [System.Collections.Generic.List[scriptblock]]::new()
        AfterEach = [System.Collections.Generic.List[scriptblock]]::new()
        Children = [System.Collections.Generic.List[object]]::new()
    }
}

function Write-Tap([string]$Line) { $Host.UI.WriteLine($Line) }

function Format-ErrorDetail($ErrorRecord) {
    $lines = @("$($ErrorRecord.Exception.Message)")
    if ($ErrorRecord.FullyQualifiedErrorId -and $ErrorRecord.FullyQualifiedErrorId -ne 'PesterAssertionFailed') {
        $lines += "ErrorId: $($ErrorRecord.FullyQualifiedErrorId) ($($ErrorRecord.Exception.GetType().FullName))"
    }
    if ($ErrorRecord.ScriptStackTrace) {
        $lines += @($ErrorRecord.ScriptStackTrace -split "`n" | Where-Object { $_ -notmatch 'PesterLite.psm1' } | Select-FirstLines 4)
    }
    $lines | ForEach-Object { $_ -split "`n" } | ForEach-Object { "#   $_" }
}

function Select-FirstLines {
    param([int]$Count, [Parameter(ValueFromPipeline)]$Item)
    begin { $n = 0 } process { if ($n++ -lt $Count) { $Item } }
}

function Report([string]$Name, [string]$Outcome, $ErrorRecord, [string]$Reason) {
    $script:Count++
    switch ($Outcome) {
        'Passed'  { Write-Tap "ok $script:Count - $Name" }
        'Skipped' { $script:Skipped++; Write-Tap "ok $script:Count - $Name # SKIP $Reason" }
        default {
            $script:Failed++
            Write-Tap "not ok $script:Count - $Name"
            if ($Reason) { Write-Tap "#   $Reason" }
            if ($ErrorRecord) { Format-ErrorDetail $ErrorRecord | ForEach-Object { Write-Tap $_ } }
        }
    }
}

function Invoke-Block {
    param([string]$Name, [scriptblock]$Fixture, [bool]$Skip)
    $definition = [pscustomobject]@{ Kind = 'Block'; Name = $Name; Fixture = $Fixture; Skip = $Skip }
    if ($script:Stack.Count -gt 0) {
        # Inside a parent's body: run after the parent's BeforeAll, as Pester 5 does.
        $script:Stack[$script:Stack.Count - 1].Children.Add($definition)
        return
    }
    Invoke-Definition $definition @() @() ''
}

function Invoke-Definition($Definition, [scriptblock[]]$OuterBeforeEach, [scriptblock[]]$OuterAfterEach, [string]$Path) {
    $path = ("$Path $($Definition.Name)").Trim()
    $frame = New-Frame $Definition.Name
    $script:Stack.Add($frame)
    try {
        $null = . $Definition.Fixture
    } catch {
        Report "$path (the block's body failed)" 'Failed' $_
        return
    } finally {
        $script:Stack.RemoveAt($script:Stack.Count - 1)
    }

    $beforeEach = @($OuterBeforeEach) + @($frame.BeforeEach)
    $afterEach = @($frame.AfterEach) + @($OuterAfterEach)

    if ($Definition.Skip) {
        Skip-Children $frame $path 'the block is marked -Skip'
        return
    }
    $setupError = $null
    try {
        foreach ($b in $frame.BeforeAll) { $null = . $b }
    } catch {
        $setupError = $_
    }
    try {
        if ($setupError) {
            Fail-Children $frame $path $setupError
        } else {
            foreach ($child in $frame.Children) {
                if ($child.Kind -eq 'Block') {
                    Invoke-Definition $child $beforeEach $afterEach $path
                } else {
                    Invoke-Test $child $beforeEach $afterEach $path
                }
            }
        }
    } finally {
        foreach ($a in $frame.AfterAll) {
            try { $null = . $a } catch { Report "$path (AfterAll failed)" 'Failed' $_ }
        }
    }
}

function Skip-Children($Frame, [string]$Path, [string]$Reason) {
    foreach ($child in $Frame.Children) {
        if ($child.Kind -eq 'Test') { Report "$Path $($child.Name)" 'Skipped' $null $Reason }
        else { Report "$Path $($child.Name) (block)" 'Skipped' $null $Reason }
    }
}

function Fail-Children($Frame, [string]$Path, $ErrorRecord) {
    foreach ($child in $Frame.Children) {
        $name = if ($child.Kind -eq 'Test') { "$Path $($child.Name)" } else { "$Path $($child.Name) (block)" }
        Report $name 'Failed' $ErrorRecord 'BeforeAll failed'
    }
}

function Invoke-Test($Test, [scriptblock[]]$BeforeEach, [scriptblock[]]$AfterEach, [string]$Path) {
    $name = "$Path $($Test.Name)"
    if ($Test.Skip) { Report $name 'Skipped' $null 'marked -Skip'; return }
    $outcome = 'Passed'; $err = $null; $reason = $null
    try {
        foreach ($b in $BeforeEach) { $null = . $b }
        $arguments = $Test.Arguments
        $null = . $Test.Body @arguments
    } catch {
        if ($_.Exception -is [PesterLiteSkip]) { $outcome = 'Skipped'; $reason = $_.Exception.Message }
        else { $outcome = 'Failed'; $err = $_ }
    } finally {
        foreach ($a in $AfterEach) {
            try { $null = . $a } catch { if ($outcome -ne 'Failed') { $outcome = 'Failed'; $err = $_; $reason = 'AfterEach failed' } }
        }
    }
    Report $name $outcome $err $reason
}

function Get-CurrentFrame([string]$Command) {
    if ($script:Stack.Count -eq 0) { throw "$Command must be inside a Describe or Context block." }
    $script:Stack[$script:Stack.Count - 1]
}

function Describe {
    param([Parameter(Mandatory, Position = 0)][string]$Name,
          [Parameter(Mandatory, Position = 1)][scriptblock]$Fixture,
          [string[]]$Tag, [switch]$Skip)
    Invoke-Block $Name $Fixture $Skip.IsPresent
}

function Context {
    param([Parameter(Mandatory, Position = 0)][string]$Name,
          [Parameter(Mandatory, Position = 1)][scriptblock]$Fixture,
          [string[]]$Tag, [switch]$Skip)
    Invoke-Block $Name $Fixture $Skip.IsPresent
}

function It {
    param([Parameter(Mandatory, Position = 0)][string]$Name,
          [Parameter(Position = 1)][scriptblock]$Test,
          [System.Collections.IDictionary[]]$TestCases, [string[]]$Tag, [switch]$Skip)
    $frame = Get-CurrentFrame 'It'
    if (-not $Test) { $Skip = $true; $Test = {} }   # Pester: an It without a body is pending
    if ($TestCases) {
        foreach ($case in $TestCases) {
            $caseName = $Name
            foreach ($k in $case.Keys) { $caseName = $caseName.Replace("<$k>", "$($case[$k])") }
            $frame.Children.Add([pscustomobject]@{ Kind = 'Test'; Name = $caseName; Body = $Test; Skip = $Skip.IsPresent; Arguments = $case })
        }
    } else {
        $frame.Children.Add([pscustomobject]@{ Kind = 'Test'; Name = $Name; Body = $Test; Skip = $Skip.IsPresent; Arguments = @{} })
    }
}

function BeforeAll  { param([Parameter(Mandatory, Position = 0)][scriptblock]$Scriptblock) (Get-CurrentFrame 'BeforeAll').BeforeAll.Add($Scriptblock) }
function AfterAll   { param([Parameter(Mandatory, Position = 0)][scriptblock]$Scriptblock) (Get-CurrentFrame 'AfterAll').AfterAll.Add($Scriptblock) }
function BeforeEach { param([Parameter(Mandatory, Position = 0)][scriptblock]$Scriptblock) (Get-CurrentFrame 'BeforeEach').BeforeEach.Add($Scriptblock) }
function AfterEach  { param([Parameter(Mandatory, Position = 0)][scriptblock]$Scriptblock) (Get-CurrentFrame 'AfterEach').AfterEach.Add($Scriptblock) }

function Set-ItResult {
    param([switch]$Skipped, [switch]$Pending, [switch]$Inconclusive, [string]$Because)
    throw [PesterLiteSkip]::new($(if ($Because) { $Because } elseif ($Pending) { 'pending' } else { 'inconclusive' }))
}

function Get-PesterLiteResult {
    [pscustomobject]@{ Count = $script:Count; Failed = $script:Failed; Skipped = $script:Skipped }
}

# ---- Should ----------------------------------------------------------------------------

function Format-Value($Value) {
    if ($null -eq $Value) { return '$null' }
    if ($Value -is [string]) { return "'$Value'" }
    if ($Value -is [bool]) { return "`$$Value" }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) {
        return '@(' + ((@($Value) | ForEach-Object { Format-Value $_ }) -join ', ') + ')'
    }
    if ($Value -is [type]) { return "[$($Value.FullName)]" }
    return "$Value"
}

function Fail-Assertion([string]$Message, [string]$Because) {
    if ($Because) { $Message = $Message.TrimEnd('.') + ", because $Because." }
    $exception = [System.Exception]::new($Message)
    throw [System.Management.Automation.ErrorRecord]::new($exception, 'PesterAssertionFailed',
        [System.Management.Automation.ErrorCategory]::InvalidResult, $null)
}

function Test-Equal($Actual, $Expected, [bool]$CaseSensitive) {
    $aList = $Actual -is [System.Collections.IEnumerable] -and $Actual -isnot [string] -and $Actual -isnot [System.Collections.IDictionary]
    $eList = $Expected -is [System.Collections.IEnumerable] -and $Expected -isnot [string] -and $Expected -isnot [System.Collections.IDictionary]
    if ($aList -or $eList) {
        $a = @($Actual); $e = @($Expected)
        if ($a.Count -ne $e.Count) { return $false }
        for ($i = 0; $i -lt $a.Count; $i++) { if (-not (Test-Equal $a[$i] $e[$i] $CaseSensitive)) { return $false } }
        return $true
    }
    if ($null -eq $Actual -or $null -eq $Expected) { return $null -eq $Actual -and $null -eq $Expected }
    if ($CaseSensitive) { return $Actual -ceq $Expected }
    return $Actual -eq $Expected
}

function Should {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)] $ActualValue,
        [Parameter(Position = 0)] $ExpectedValue,
        [switch]$Not,
        [switch]$Be, [switch]$BeExactly, [switch]$BeNullOrEmpty, [switch]$BeTrue, [switch]$BeFalse,
        [switch]$BeOfType, [switch]$Match, [switch]$MatchExactly, [switch]$BeLike, [switch]$BeLikeExactly,
        [switch]$Contain, [switch]$BeIn, [switch]$HaveCount, [switch]$BeGreaterThan, [switch]$BeLessThan,
        [switch]$BeGreaterOrEqual, [switch]$BeLessOrEqual, [switch]$Exist, [switch]$Throw,
        [string]$ExpectedMessage, [string]$ErrorId, [type]$ExceptionType, [string]$Because, [switch]$PassThru
    )
    begin { $items = [System.Collections.Generic.List[object]]::new(); $gotInput = $false }
    process { $gotInput = $true; $items.Add($ActualValue) }
    end {
        $actual = if ($items.Count -eq 1) { $items[0] } elseif ($items.Count -eq 0) { $null } else { $items.ToArray() }
        $n = $Not.IsPresent
        $want = if ($n) { 'not ' } else { '' }
        $shown = Format-Value $actual
        $expected = Format-Value $ExpectedValue

        if ($Throw) {
            if ($actual -isnot [scriptblock]) { Fail-Assertion "Should -Throw needs a scriptblock as input, got $shown." }
            $caught = $null
            try { $null = & $actual } catch { $caught = $_ }
            if (-not $ExpectedMessage -and $null -ne $ExpectedValue) { $ExpectedMessage = "$ExpectedValue" }
            if ($n) {
                if ($caught) { Fail-Assertion "Expected no exception to be thrown, but an exception `"$($caught.Exception.Message)`" was thrown (ErrorId $($caught.FullyQualifiedErrorId))." $Because }
                return
            }
            if (-not $caught) { Fail-Assertion "Expected an exception to be thrown, but no exception was thrown." $Because }
            if ($ExpectedMessage -and $caught.Exception.Message -notlike "*$ExpectedMessage*") {
                Fail-Assertion "Expected an exception with message like '$ExpectedMessage' to be thrown, but the message was '$($caught.Exception.Message)'." $Because
            }
            if ($ErrorId -and $caught.FullyQualifiedErrorId -notlike "*$ErrorId*") {
                Fail-Assertion "Expected an exception with FullyQualifiedErrorId '$ErrorId' to be thrown, but the FullyQualifiedErrorId was '$($caught.FullyQualifiedErrorId)' (message: $($caught.Exception.Message))." $Because
            }
            if ($ExceptionType -and $caught.Exception -isnot $ExceptionType) {
                Fail-Assertion "Expected an exception of type [$($ExceptionType.FullName)] to be thrown, but got [$($caught.Exception.GetType().FullName)]: $($caught.Exception.Message)." $Because
            }
            if ($PassThru) { return $caught }
            return
        }

        if ($Be) {
            if ((Test-Equal $actual $ExpectedValue $false) -eq $n) { Fail-Assertion "Expected ${want}$expected, but got $shown." $Because }
        } elseif ($BeExactly) {
            if ((Test-Equal $actual $ExpectedValue $true) -eq $n) { Fail-Assertion "Expected ${want}exactly $expected, but got $shown." $Because }
        } elseif ($BeNullOrEmpty) {
            $empty = $null -eq $actual -or ($actual -is [string] -and $actual -eq '') -or
                     ($actual -is [System.Collections.ICollection] -and $actual.Count -eq 0)
            if ($empty -eq $n) { Fail-Assertion "Expected ${want}`$null or empty, but got $shown." $Because }
        } elseif ($BeTrue) {
            if ([bool]$actual -eq $n) { Fail-Assertion "Expected ${want}`$true, but got $shown." $Because }
        } elseif ($BeFalse) {
            if ((-not [bool]$actual) -eq $n) { Fail-Assertion "Expected ${want}`$false, but got $shown." $Because }
        } elseif ($BeOfType) {
            $t = if ($ExpectedValue -is [type]) { $ExpectedValue } else { [type]"$ExpectedValue" }
            if (($actual -is $t) -eq $n) { Fail-Assertion "Expected the value to ${want}be of type [$($t.FullName)], but got [$(if ($null -ne $actual) { $actual.GetType().FullName } else { '$null' })] $shown." $Because }
        } elseif ($Match) {
            if (("$actual" -match $ExpectedValue) -eq $n) { Fail-Assertion "Expected $shown to ${want}match regular expression $expected." $Because }
        } elseif ($MatchExactly) {
            if (("$actual" -cmatch $ExpectedValue) -eq $n) { Fail-Assertion "Expected $shown to ${want}match exactly $expected." $Because }
        } elseif ($BeLike) {
            if (("$actual" -like $ExpectedValue) -eq $n) { Fail-Assertion "Expected $shown to ${want}be like $expected." $Because }
        } elseif ($BeLikeExactly) {
            if (("$actual" -clike $ExpectedValue) -eq $n) { Fail-Assertion "Expected $shown to ${want}be exactly like $expected." $Because }
        } elseif ($Contain) {
            $has = @($items | Where-Object { Test-Equal $_ $ExpectedValue $false }).Count -gt 0
            if ($has -eq $n) { Fail-Assertion "Expected $expected to ${want}be found in collection $(Format-Value $items.ToArray())." $Because }
        } elseif ($BeIn) {
            $has = @(@($ExpectedValue) | Where-Object { Test-Equal $actual $_ $false }).Count -gt 0
            if ($has -eq $n) { Fail-Assertion "Expected $shown to ${want}be in collection $expected." $Because }
        } elseif ($HaveCount) {
            $count = if ($gotInput) { $items.Count } else { 0 }
            if ($items.Count -eq 1 -and $null -eq $items[0]) { $count = 0 }
            if (($count -eq $ExpectedValue) -eq $n) { Fail-Assertion "Expected a collection with size ${want}$ExpectedValue, but got collection with size $count $(Format-Value $items.ToArray())." $Because }
        } elseif ($BeGreaterThan) {
            if (($actual -gt $ExpectedValue) -eq $n) { Fail-Assertion "Expected the actual value to be ${want}greater than $expected, but got $shown." $Because }
        } elseif ($BeLessThan) {
            if (($actual -lt $ExpectedValue) -eq $n) { Fail-Assertion "Expected the actual value to be ${want}less than $expected, but got $shown." $Because }
        } elseif ($BeGreaterOrEqual) {
            if (($actual -ge $ExpectedValue) -eq $n) { Fail-Assertion "Expected the actual value to be ${want}greater than or equal to $expected, but got $shown." $Because }
        } elseif ($BeLessOrEqual) {
            if (($actual -le $ExpectedValue) -eq $n) { Fail-Assertion "Expected the actual value to be ${want}less than or equal to $expected, but got $shown." $Because }
        } elseif ($Exist) {
            $there = [System.IO.File]::Exists("$actual") -or [System.IO.Directory]::Exists("$actual")
            if ($there -eq $n) { Fail-Assertion "Expected path $shown to ${want}exist." $Because }
        } else {
            Fail-Assertion 'Should: no assertion operator given (PesterLite supports -Be, -BeExactly, -BeNullOrEmpty, -BeTrue, -BeFalse, -BeOfType, -Match, -MatchExactly, -BeLike, -BeLikeExactly, -Contain, -BeIn, -HaveCount, -BeGreaterThan, -BeLessThan, -BeGreaterOrEqual, -BeLessOrEqual, -Exist, -Throw).'
        }
    }
}
