import Testing
@testable import JianbaoQuery

/// A snapshot's texts are not checksummed (docs/SNAPSHOT.md "Damage"): a damaged byte there
/// reaches the regular expressions as text that is not UTF-8, and PCRE2 is told not to check
/// its subjects. Compiled without PCRE2_MATCH_INVALID_UTF, it decoded 0xFD and five 0xBF as a
/// code point far past its Unicode tables and read outside them under `\X` (SIGSEGV); with it,
/// an ill-formed sequence matches nothing and the text around it matches as before.
@Suite struct RegexInvalidUTF8Tests {
    static let damaged: [UInt8] = (0..<60).map { $0 % 6 == 0 ? 0xFD : 0xBF }
    static let text: [UInt8] = Array("企".utf8) + damaged + Array("企业".utf8)

    static func firstMatch(_ pattern: String, _ bytes: [UInt8]) throws -> Range<Int>? {
        let regex = try Regex(pattern)
        return try bytes.withUnsafeBufferPointer { try regex.firstMatch(in: $0, 0, $0.count) }
    }

    @Test func illFormedBytesMatchNothingAndNeverCrash() throws {
        #expect(try Self.firstMatch(#"\X$"#, Self.damaged) == nil)
        #expect(try Self.firstMatch(".", Self.damaged) == nil)
        #expect(try Self.firstMatch(#"\p{Han}"#, Self.damaged) == nil)
    }

    @Test func theTextAroundThemMatchesAsBefore() throws {
        let tail = Self.text.count - 3
        #expect(try Self.firstMatch(#"\X$"#, Self.text) == tail..<Self.text.count)
        #expect(try Self.firstMatch("企业", Self.text) == (tail - 3)..<Self.text.count)
        #expect(try Self.firstMatch(#"^\X"#, Self.text) == 0..<3)
        #expect(try Regex(#"\p{Han}{2}$"#).matches(Self.text.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }))
    }
}
