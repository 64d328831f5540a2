# PesterLite checks itself: assertions that must fail do fail (so a passing Berth test means something).
Describe 'PesterLite Should' {
    It '-Be fails on a different value' { { 1 | Should -Be 2 } | Should -Throw -ErrorId PesterAssertionFailed }
    It '-Be compares collections element by element' {
        @(1, 2) | Should -Be @(1, 2)
        { @(1, 2) | Should -Be @(1, 3) } | Should -Throw
    }
    It '-BeExactly is case-sensitive' { { 'A' | Should -BeExactly 'a' } | Should -Throw }
    It '-BeNullOrEmpty fails on a value' { { 'x' | Should -BeNullOrEmpty } | Should -Throw }
    It '-Not inverts' { { 1 | Should -Not -Be 1 } | Should -Throw }
    It '-Throw fails when nothing is thrown' { { { 1 } | Should -Throw } | Should -Throw -ExpectedMessage 'no exception' }
    It '-Throw -ErrorId checks the id' { { { throw 'x' } | Should -Throw -ErrorId 'SomethingElse' } | Should -Throw }
    It '-BeOfType checks the type' { { 'x' | Should -BeOfType ([int]) } | Should -Throw }
    It '-HaveCount counts pipeline items' {
        @(1, 2, 3) | Should -HaveCount 3
        { @(1, 2) | Should -HaveCount 3 } | Should -Throw
    }
    It '-Contain looks through the collection' { { @(1, 2) | Should -Contain 3 } | Should -Throw }
    It '-Because is in the message' {
        $e = { 1 | Should -Be 2 -Because 'the reason' } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'because the reason'
    }
}
