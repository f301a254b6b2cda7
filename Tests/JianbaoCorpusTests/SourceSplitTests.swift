import Testing
@testable import JianbaoCorpus

/// How a source parenthetical becomes names (FORMAT.md "Articles", item 3).
@Suite struct SourceSplitTests {
    static let cases: [(source: String, names: [String])] = [
        ("国务院国资委", ["国务院国资委"]),
        ("国家发展改革委、财政部", ["国家发展改革委", "财政部"]),
        ("中国石化，中国石油", ["中国石化", "中国石油"]),
        ("人民银行,金融监管总局/证监会", ["人民银行", "金融监管总局", "证监会"]),
        ("\u{3000}中国移动 \t、  中国电信\u{3000}\u{3000}", ["中国移动", "中国电信"]),
        ("、、中国中车、 、", ["中国中车"]),
        ("", []),
        (" \u{3000} ", []),
        ("A、B", ["A", "B"]),
        // A name may hold spaces inside; only its ends are trimmed.
        ("国家 电网、南方电网", ["国家 电网", "南方电网"]),
        // Bytes that look like a separator's tail are not separators: 、is E3 80 81, 〃 is E3 80 83.
        ("甲〃乙", ["甲〃乙"]),
        ("、", []),
        ("中国宝武，", ["中国宝武"]),
    ]

    @Test(arguments: cases)
    func split(_ c: (source: String, names: [String])) {
        #expect(SourceParser.split(c.source) == c.names, "\(c.source)")
    }
}
