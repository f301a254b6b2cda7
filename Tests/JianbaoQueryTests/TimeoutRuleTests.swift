import Testing
@testable import JianbaoQuery

/// Which statements get the default time limit of a statement with `matches` (.timeout off):
/// the keyword or a `/regex/` (kwic), not the word inside a value.
@Suite struct TimeoutRuleTests {
    @Test(arguments: [
        ("count articles where body matches \"营业收入\\d+\"", true),
        ("select articles where title not MATCHES 科创", true),
        ("count articles where title contains \"matches\"", false),
        ("count articles where body contains 科创", false),
        ("select articles where title = \"unterminated matches", false),
        ("kwic /(a|aa)+$/ width 5", true),
        ("kwic \"/not a pattern/\"", false),
    ])
    func usesMatches(_ statement: String, _ expected: Bool) {
        #expect(StatementRunner.usesMatches(statement) == expected)
    }
}
