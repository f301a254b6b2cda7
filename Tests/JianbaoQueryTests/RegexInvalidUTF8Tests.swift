import Testing
@testable import JianbaoQuery

/// A snapshot's texts are not checksummed (docs/SNAPSHOT.md "Damage"): a damaged byte there
/// reaches the regular expressions as text that is not UTF-8, and PCRE2 is told not to check
/// its subjects. It decoded 0xFD and five 0xBF as a code point far past its Unicode tables
/// and read outside them under `\X` (SIGSEGV in a run over a damaged snapshot), or matched
/// the ill-formed bytes as characters. A subject that is not UTF-8 now matches nothing.
@Suite struct RegexInvalidUTF8Tests {
    static let damaged: [UInt8] = (0..<60).map { $0 % 6 == 0 ? 0xFD : 0xBF }

    static func firstMatch(_ pattern: String, _ bytes: [UInt8]) throws -> Range<Int>? {
        let regex = try Regex(pattern)
        return try bytes.withUnsafeBufferPointer { try regex.firstMatch(in: $0, 0, $0.count, verifying: true) }
    }

    @Test(arguments: [#"\X$"#, ".", #"\p{Han}"#, "企业", #"^\X"#])
    func aSubjectThatIsNotUTF8MatchesNothing(_ pattern: String) throws {
        #expect(try Self.firstMatch(pattern, Self.damaged) == nil)
        #expect(try Self.firstMatch(pattern, Array("企".utf8) + Self.damaged + Array("企业".utf8)) == nil)
        #expect(try Self.firstMatch(pattern, Array("企业".utf8) + [0xE4, 0xBC]) == nil)
        // The search through a subject (kwic's) checks it on the search from its start.
        let regex = try Regex(pattern)
        let subject = Array("企".utf8) + Self.damaged + Array("企业".utf8)
        #expect(try subject.withUnsafeBufferPointer { try regex.firstMatch(in: $0, 0, $0.count, from: 0, verifying: true) } == nil)
    }

    @Test func aWellFormedSubjectMatchesAsBefore() throws {
        let text = Array("国有企业".utf8)
        #expect(try Self.firstMatch(#"\X$"#, text) == 9..<12)
        #expect(try Self.firstMatch("企业", text) == 6..<12)
        #expect(try Self.firstMatch(#"\p{Han}{2}$"#, text) == 6..<12)
        // A stretch of a longer buffer is its own subject: ill-formed bytes outside it do not count.
        let buffer = Self.damaged + text + Self.damaged
        let regex = try Regex("企业")
        #expect(try buffer.withUnsafeBufferPointer { try regex.firstMatch(in: $0, 60, 72, verifying: true) } == 66..<72)
    }
}
