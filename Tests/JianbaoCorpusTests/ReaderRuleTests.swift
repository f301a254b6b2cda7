import Testing
@testable import JianbaoCorpus

/// One FORMAT.md rule: input text, the articles it must give, the diagnostics it must give.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let outline: [String]
    var diagnostics: [String] = []
    var testDescription: String { name }
}

let long = "这是一段足够长的正文段落，用来确认段落与标题的区分规则，句末有句号，字数超过四十个字符没有问题。"

@Suite struct ReaderRuleTests {
    static let cases: [RuleCase] = [
        RuleCase(name: "middle dot marker with spaces", text: "  ·   重要动态\n标题\n\(long)（甲单位）\n",
                 outline: ["重要动态 | 标题 | 甲单位 | 1 | 0"]),
        RuleCase(name: "bullet marker", text: "•金融工作\n标题\n\(long)（甲单位）",
                 outline: ["金融工作 | 标题 | 甲单位 | 1 | 0"]),
        RuleCase(name: "black circle marker", text: "● 国企之窗\n标题\n\(long)（甲单位）",
                 outline: ["国企之窗 | 标题 | 甲单位 | 1 | 0"]),
        RuleCase(name: "bracket marker", text: "【 国企之窗 】\n标题\n\(long)（甲单位）",
                 outline: ["国企之窗 | 标题 | 甲单位 | 1 | 0"]),
        RuleCase(name: "bracketed start of a line is not a marker",
                 text: "· 动态\n标题\n【通知】\(long)\n\(long)（甲单位）",
                 outline: ["动态 | 标题 | 甲单位 | 2 | 0"]),
        RuleCase(name: "two-line title", text: "· 动态\n第一行标题\n第二行标题\n\(long)（甲）",
                 outline: ["动态 | 第一行标题 / 第二行标题 | 甲 | 1 | 0"]),
        RuleCase(name: "three-line title", text: "· 动态\n一\n二\n三\n\(long)（甲）",
                 outline: ["动态 | 一 / 二 / 三 | 甲 | 1 | 0"]),
        RuleCase(name: "fourth short line is a sub-heading", text: "· 动态\n一\n二\n三\n四\n\(long)（甲）",
                 outline: ["动态 | 一 / 二 / 三 | 甲 | 1 | 1"]),
        RuleCase(name: "short line in the body is a sub-heading",
                 text: "· 动态\n标题\n\(long)\n小标题 其二\n\(long)\n另一个小标题\n\(long)（甲）",
                 outline: ["动态 | 标题 | 甲 | 3 | 2"]),
        RuleCase(name: "forty characters is short, forty-one is not",
                 text: "· 动态\n\(String(repeating: "字", count: 40))\n\(String(repeating: "字", count: 41))（甲）",
                 outline: ["动态 | \(String(repeating: "字", count: 40)) | 甲 | 1 | 0"]),
        RuleCase(name: "sentence-final punctuation makes a line long",
                 text: "· 动态\n标题\n好。\n对吗？\n是的！\n于是；\n然后…\nok.\n（甲）",
                 outline: ["动态 | 标题 | 甲 | 6 | 0"]),
        RuleCase(name: "colon, closing quote and parenthesis can end a short line",
                 text: "· 动态\n会议指出：\n“三个作用”\n试点（二期）\n\(long)（甲）",
                 outline: ["动态 | 会议指出： / “三个作用” / 试点（二期） | 甲 | 1 | 0"]),
        RuleCase(name: "ASCII parentheses and 来源", text: "· 动态\n标题\n\(long)(来源: 乙单位)",
                 outline: ["动态 | 标题 | 乙单位 | 1 | 0"]),
        RuleCase(name: "来源： and 供稿： dropped", text: "· 动态\n甲\n\(long)（来源：甲单位）\n乙\n\(long)（供稿：乙单位）",
                 outline: ["动态 | 甲 | 甲单位 | 1 | 0", "动态 | 乙 | 乙单位 | 1 | 0"]),
        RuleCase(name: "several organisations", text: "· 动态\n标题\n\(long)（甲单位、乙单位，丙单位,丁单位/戊单位）",
                 outline: ["动态 | 标题 | 甲单位、乙单位、丙单位、丁单位、戊单位 | 1 | 0"]),
        RuleCase(name: "a parenthetical over 30 characters is not a source",
                 text: "· 动态\n标题\n\(long)（\(String(repeating: "长", count: 31))）\n\(long)（甲）",
                 outline: ["动态 | 标题 | 甲 | 2 | 0"]),
        RuleCase(name: "thirty characters is still a source",
                 text: "· 动态\n标题\n\(long)（\(String(repeating: "长", count: 30))）",
                 outline: ["动态 | 标题 | \(String(repeating: "长", count: 30)) | 1 | 0"]),
        RuleCase(name: "source on a line of its own", text: "· 动态\n标题\n\(long)\n（甲单位）\n下一篇\n\(long)（乙）",
                 outline: ["动态 | 标题 | 甲单位 | 1 | 0", "动态 | 下一篇 | 乙 | 1 | 0"]),
        RuleCase(name: "short line with a parenthetical is a sub-heading, not a source",
                 text: "· 动态\n标题\n\(long)\n一、总体情况（2023年）\n\(long)（甲）",
                 outline: ["动态 | 标题 | 甲 | 2 | 1"]),
        RuleCase(name: "a new article starts after the source", text: "· 动态\n甲\n\(long)（一）\n乙\n\(long)（二）\n丙\n\(long)（三）",
                 outline: ["动态 | 甲 | 一 | 1 | 0", "动态 | 乙 | 二 | 1 | 0", "动态 | 丙 | 三 | 1 | 0"]),
        RuleCase(name: "blank lines carry no structure", text: "\n\n· 动态\n\n甲\n\n\n\(long)\n\n\(long)（一）\n\n\n乙\n\(long)（二）\n\n",
                 outline: ["动态 | 甲 | 一 | 2 | 0", "动态 | 乙 | 二 | 1 | 0"]),
        RuleCase(name: "missing source runs to the end of the section",
                 text: "· 动态\n甲\n\(long)\n乙\n\(long)\n· 其他\n丙\n\(long)（三）",
                 outline: ["动态 | 甲 |  | 2 | 1", "其他 | 丙 | 三 | 1 | 0"],
                 diagnostics: ["2:1: warning: article「甲」 has no source; it runs to the end of its section"]),
        RuleCase(name: "marker followed by a long line: no title",
                 text: "· 动态\n\(long)（甲）",
                 outline: ["动态 |  | 甲 | 1 | 0"],
                 diagnostics: ["2:1: warning: article has no title: its first line is a paragraph"]),
        RuleCase(name: "empty section", text: "· 空\n· 动态\n标题\n\(long)（甲）",
                 outline: ["动态 | 标题 | 甲 | 1 | 0"],
                 diagnostics: ["1:1: warning: section '空' has no articles"]),
        RuleCase(name: "no section marker", text: "只是一行字\n\(long)\n",
                 outline: [], diagnostics: ["warning: no section marker; the file has no articles"]),
        RuleCase(name: "empty file", text: "", outline: [], diagnostics: ["warning: empty file (no section marker)"]),
        RuleCase(name: "blank-only file", text: "\n \n\u{3000}\n", outline: [], diagnostics: ["warning: empty file (no section marker)"]),
        RuleCase(name: "BOM, CRLF and U+3000 indentation",
                 text: "\u{FEFF}· 动态\r\n\u{3000}\u{3000}标题\r\n\u{3000}\u{3000}\(long)（甲）\u{3000}\r\n",
                 outline: ["动态 | 标题 | 甲 | 1 | 0"]),
        RuleCase(name: "sources keep their order; an article after a missing-source article in another section",
                 text: "【甲】\n标题\n\(long)（乙单位、甲单位）\n【乙】\n标题二\n\(long)（丙单位）",
                 outline: ["甲 | 标题 | 乙单位、甲单位 | 1 | 0", "乙 | 标题二 | 丙单位 | 1 | 0"]),
    ]

    @Test(arguments: cases)
    func rule(_ c: RuleCase) throws {
        let (issue, diagnostics) = read(c.text)
        let loaded = try #require(issue)
        #expect(outline(loaded) == c.outline)
        #expect(messages(diagnostics) == c.diagnostics)
    }

    @Test func headerLinesAreTheTitleAndGiveTheDate() throws {
        let (issue, _) = read("上海国资 2024年第2期\n2024年3月15日\n· 动态\n标题\n\(long)（甲）", name: "special.txt")
        let loaded = try #require(issue)
        #expect(loaded.title == "上海国资 2024年第2期 2024年3月15日")
        #expect(loaded.date?.description == "2024-03-15")
        #expect(loaded.number == 2)
        #expect(loaded.articles.count == 1)
    }

    @Test func nameDateWinsOverHeader() throws {
        let (issue, _) = read("2019年5月1日\n· 动态\n标题\n\(long)（甲）", name: "2024-03.txt")
        #expect(try #require(issue).date?.description == "2024-03")
    }

    @Test func invalidUTF8IsReplacedAndReported() throws {
        var bytes = Array("· 动态\n标题\n".utf8)
        bytes += Array("正文".utf8) + [0xFF, 0xFE] + Array("继续".utf8) + [0xE4, 0xB8] + Array(long.utf8) + Array("（甲）\n".utf8)
        let (issue, diagnostics) = read(bytes: bytes)
        let loaded = try #require(issue)
        #expect(messages(diagnostics) == [
            "3:3: warning: invalid UTF-8 (0xFF 0xFE) at byte 6 of the line; replaced with U+FFFD",
            "3:6: warning: invalid UTF-8 (0xE4 0xB8) at byte 14 of the line; replaced with U+FFFD",
        ])
        let paragraph = loaded.blocks(of: loaded.articles[0], .paragraph)[0]
        #expect(loaded.string(paragraph.range).hasPrefix("正文\u{FFFD}继续\u{FFFD}这是"))
    }

    @Test func manyInvalidSequencesAreSummarised() throws {
        var bytes = Array("· 动态\n标题\n".utf8)
        for _ in 0..<50 { bytes += [0x41, 0xC0] }
        bytes += Array("。（甲）".utf8)
        let (issue, diagnostics) = read(bytes: bytes)
        #expect(issue != nil)
        #expect(diagnostics.count == 21)
        #expect(diagnostics.last?.message == "30 more invalid UTF-8 sequences not listed (50 in all)")
    }

    @Test func nulByteSkipsTheFile() {
        let (issue, diagnostics) = read(bytes: Array("· 动态\n标题".utf8) + [0] + Array("x".utf8))
        #expect(issue == nil)
        #expect(diagnostics.map(\.description) == ["t.txt: error: binary file (NUL byte at offset 16); skipped"])
    }

    @Test func fiveMegabyteLineIsKeptAndReported() throws {
        let huge = String(repeating: "长文本", count: 600_000) + "。"
        let (issue, diagnostics) = read("· 动态\n标题\n\(huge)\n\(long)（甲）")
        let loaded = try #require(issue)
        #expect(outline(loaded) == ["动态 | 标题 | 甲 | 2 | 0"])
        #expect(messages(diagnostics) == ["3:1: warning: line is 5400003 bytes long (over 1 MB); kept"])
    }

    @Test func sentencesSplitOnFinalPunctuationKeepingClosingQuotes() throws {
        let tail = "最后一句没有句末标点但整行超过四十个字符所以它是段落"
        let (issue, _) = read("· 动态\n标题\n他说：“好。”我们走吧！真的吗？是的；\(tail)\n（甲）")
        let loaded = try #require(issue)
        let paragraph = loaded.blocks(of: loaded.articles[0], .paragraph)[0]
        let sentences = loaded.text.withUnsafeBufferPointer { Sentences.split($0, paragraph.range) }
        #expect(sentences.map { loaded.string($0) } == ["他说：“好。”", "我们走吧！", "真的吗？", "是的；", tail])
    }
}
