import Foundation
import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// The hand-made fixtures of issue 12 (Tests/Fixtures/forms, Tests/Fixtures/web) and the
/// rules of the PDF, Word and web page readers.
@Suite struct FormReaderTests {
    static let forms = TestPaths.packageRoot + "/Tests/Fixtures/forms"
    static let pages = TestPaths.packageRoot + "/Tests/Fixtures/web/pages"

    static func articles(_ result: LoadResult) -> [String] {
        result.issues.flatMap { issue in
            issue.articles.map { a in
                [issue.id, issue.sectionName(Int(a.section)), issue.title(of: a), issue.sources(of: a).joined(separator: "、"),
                 String(a.paragraphCount)].joined(separator: " | ")
            }
        }
    }

    @Test func wordTableHeadingsAndLineBreaks() {
        let result = CorpusLoader.load(paths: [Self.forms + "/2024-03-15-table.docx"])
        #expect(result.diagnostics == [])
        #expect(Self.articles(result) == ["2024-03-15-table | 经营情况 | 一季度市属企业经营情况 | 市国资委 | 3",
                                          "2024-03-15-table | 改革动态 | 两家集团完成重组 | 市国资委改革处 | 1"])
        let issue = result.issues[0]
        #expect(issue.format == "docx" && issue.encoding == nil)
        #expect(issue.date == BulletinDate(year: 2024, month: 3, day: 15))
        let lines = String(decoding: issue.text, as: UTF8.self).split(separator: "\n").map(String.init)
        // w:br ends a line; a row is one line, cells by a tab, a cell's paragraphs by a space;
        // deleted text and field codes are not text.
        #expect(lines.contains("利润总额88.6亿元，同比增长4.1%。"))
        #expect(lines.contains("利润 总额\t88.6亿元\t增长4.1%"))
        #expect(lines.contains("各企业要巩固回升势头。（市国资委）"))
        #expect(!lines.joined().contains("删去的文字") && !lines.joined().contains("PAGE"))
        // A level-1 heading is a section marker in a document without markers of its own.
        #expect(lines.contains("· 经营情况"))
    }

    @Test func twoColumnPageReadsColumnByColumn() {
        let result = CorpusLoader.load(paths: [Self.forms + "/2024-05-two-columns.pdf"])
        #expect(result.diagnostics == [])
        #expect(Self.articles(result) == [
            "2024-05-two-columns | 重要动态 | 市属企业一季度开局平稳 | 市国资委 | 1",
            "2024-05-two-columns | 重要动态 | 科技创新投入持续加大 | 市国资委科创处 | 1",
            "2024-05-two-columns | 国企之窗 | 港口集装箱吞吐量保持增长 | 港口集团 | 1",
            "2024-05-two-columns | 国企之窗 | 机场旅客吞吐量恢复较快 | 机场集团 | 1",
            "2024-05-two-columns | 国企之窗 | 地铁网络运营里程再创新高 | 地铁集团 | 1",
            "2024-05-two-columns | 改革动态 | 三家集团完成重组整合 | 市国资委改革处 | 1",
        ])
        let text = String(decoding: result.issues[0].text, as: UTF8.self)
        #expect(text.contains("一季度，市属企业实现营业收入1200.5亿元，同比增长6.2%，利润总额88.6亿元，同比增长4.1%，主要指标好于全国平均水平，为全年目标打下了基础。（市国资委）\n"))
    }

    @Test func big5AndNormalisationFixtures() {
        let result = CorpusLoader.load(paths: [Self.forms + "/2014-07-17-big5.txt", Self.forms + "/2024-01-normalise.txt"])
        #expect(result.issues.map(\.encoding) == ["Big5", "UTF-8"])
        #expect(result.diagnostics.map(\.description) == ["\(Self.forms)/2014-07-17-big5.txt: note: read as Big5"])
        #expect(Self.articles(result).first == "2014-07-17-big5 | 經濟運行 | 上半年中央企業效益穩中有升 | 國資委 | 2")
        let normalised = String(decoding: result.issues[1].text, as: UTF8.self)
        #expect(normalised.contains("一季度人才工作会议\n本市 国企实现营业收入1.2万亿元，同比增长5%。\n会议例行部署了全年工作。（市国资委）"))
    }

    /// (path, first bytes, form): the extension in any case, else the first bytes.
    static let formCases: [(String, [UInt8], DocumentReader.Form)] = [
        ("a/2019-12.docx", [], .docx), ("a/2019-12.DOCX", [], .docx), ("简报.Pdf", [], .pdf),
        ("x/page.HTM", [], .html), ("x/page.html", [], .html), ("x/page.xhtml", [], .html),
        ("x/2019-12.txt", Array("%PDF-1.7".utf8), .pdf), ("x/2019-12", [0x50, 0x4B, 0x03, 0x04], .docx),
        ("x/2019-12.TXT", [0x50, 0x4B, 0x03, 0x04], .text), ("x.docx/2019-12", [], .text),
        ("x/.docx", [], .docx), ("x/2019-12.docx.txt", [], .text), ("x/2019-12.doc", [], .text),
    ]

    @Test(arguments: formCases)
    func formByExtensionThenBytes(path: String, bytes: [UInt8], form: DocumentReader.Form) {
        #expect(DocumentReader.Form.of(path: path, bytes: bytes) == form)
    }

    /// (file, severity, message): each bad input is named, none crashes or hangs.
    static let bad: [(String, Diagnostic.Severity, String)] = [
        ("bad/corrupt.docx", .error, "not a Word file: the ZIP archive cannot be read (damaged or not a ZIP); skipped"),
        ("bad/encrypted.pdf", .error, "encrypted PDF (it needs a password); skipped"),
        ("bad/truncated.pdf", .error, "not a readable PDF (damaged or truncated); skipped"),
        ("bad/no-article.html", .error, "no article text found in this web page (no paragraphs after its title); skipped"),
        ("scanned.pdf", .warning, "no text layer; scanned PDFs need OCR first (skipped)"),
    ]

    @Test(arguments: bad)
    func badInputIsNamed(file: String, severity: Diagnostic.Severity, message: String) {
        let result = CorpusLoader.load(paths: [Self.forms + "/" + file])
        #expect(result.issues.isEmpty)
        #expect(result.diagnostics == [Diagnostic(severity, file: Self.forms + "/" + file, message)])
    }

    @Test func bytesOfNoKnownEncodingAreNamed() {
        let result = CorpusLoader.load(paths: [Self.forms + "/bad/unknown-encoding.txt"])
        #expect(result.issues.isEmpty)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.hasPrefix("not UTF-8, UTF-16, GB18030 or Big5") == true)
    }

    @Test func articlePagesBecomeOneIssuePerDate() {
        let result = CorpusLoader.load(paths: [Self.pages])
        #expect(result.issues.map(\.id) == ["2019-06-21", "2019-10-28", "2019-12-25", "2013-07-17", "2019-07-30", "undated"])
        #expect(result.issues.allSatisfy { $0.format == "html-articles" })
        #expect(Self.articles(result) == [
            "2019-06-21 | 数据发布 | 前5个月国有企业主要指标保持增长 | 财政部 | 3",
            "2019-10-28 | 数据发布 | 前三季度国有企业营业总收入继续增长 | 财政部 | 3",
            "2019-12-25 | 经济运行 | 1-11月国有企业应交税费继续下降 | 财政部 | 3",
            "2013-07-17 | 国资动态 | 上半年国有企业利润增幅逐月扩大 | 中国经济网 | 3",
            "2019-07-30 | 国资动态 | 上半年市国有企业资产总额稳步增长 | 河北新闻网 | 2",
            "undated | 国资动态 | 市属国企前5个月主要指标两位数增长 | 广州市国资委 | 2",
        ])
        // Layout B declares gb2312; the script, navigation, share bar and footer are not text.
        #expect(result.diagnostics.filter { $0.severity == .note }.count == 3)
        let all = result.issues.map { String(decoding: $0.text, as: UTF8.self) }.joined()
        for noise in ["脚本里的文字", "版权所有", "分享到", "相关新闻", "首页", "字号"] { #expect(!all.contains(noise), "\(noise)") }
        #expect(result.diagnostics.filter { $0.severity == .warning }.map(\.message) == ["no date found in the web page; it goes to the issue 'undated'"])
    }

    @Test func pagesOfOneDateGatherIntoOneIssueWithAColumnSectionEach() throws {
        let dir = try TempFolder()
        func page(_ title: String, _ column: String, _ text: String) -> String {
            "<html><head><meta charset=\"utf-8\"><meta name=\"ColumnName\" content=\"\(column)\"><title>\(title)</title></head><body>"
            + "<h1>\(title)</h1><div>发布日期：2024年3月5日 来源：市国资委</div><p>\(text)</p></body></html>"
        }
        try dir.write("1.html", page("第一篇文章", "要闻", "第一篇的正文，营业收入增长5%。"))
        try dir.write("2.htm", page("第二篇文章", "基层动态", "第二篇的正文。"))
        try dir.write("3.html", page("第三篇文章", "要闻", "第三篇的正文。"))
        let result = CorpusLoader.load(paths: [dir.path])
        #expect(result.diagnostics == [])
        #expect(result.issues.map(\.id) == ["2024-03-05"])
        #expect(Self.articles(result) == ["2024-03-05 | 要闻 | 第一篇文章 | 市国资委 | 1", "2024-03-05 | 要闻 | 第三篇文章 | 市国资委 | 1",
                                          "2024-03-05 | 基层动态 | 第二篇文章 | 市国资委 | 1"])
    }

    @Test func foldersFindEveryFormAndSkipWordLockFiles() throws {
        let dir = try TempFolder()
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.forms + "/2024-03-15-table.docx"))
        try dir.write("a.DOCX", bytes: Array(original))
        try dir.write("~$a.docx", bytes: [0x00, 0x01])
        try dir.write("b.txt", "· 动态\n标题\n正文很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。（甲）\n")
        try dir.write("notes.md", "not a bulletin")
        let result = CorpusLoader.load(paths: [dir.path])
        #expect(result.issues.map(\.id) == ["a", "b"])
        #expect(result.issues.map(\.format) == ["docx", "text"])
    }

    /// (PDF line, tightened).
    static let spaces: [(String, String)] = [
        ("实现营业收入 3.52 万亿元", "实现营业收入3.52万亿元"),
        ("2019 年 12 月", "2019年12月"),
        ("State Council 国务院", "State Council国务院"),
        ("GDP 增长 5.2 %", "GDP增长5.2 %"),
        ("A 股 上市", "A股上市"),
    ]

    @Test(arguments: spaces)
    func spacesAroundCJKGo(line: String, tightened: String) {
        #expect(PdfLayout.tightened(line) == tightened)
    }

    @Test(arguments: ["3", "- 3 -", "— 12 —", "第 3 页", "第3页 共9页", "3/9", "Page 3", "iv"])
    func pageNumbers(text: String) {
        #expect(PdfLayout.isPageNumber(text))
    }

    @Test(arguments: ["2024", "三", "第三章", "· 重要动态", "3.5%"])
    func notPageNumbers(text: String) {
        #expect(!PdfLayout.isPageNumber(text))
    }

    static func line(_ text: String, _ x2: Double, x1: Double = 50) -> PdfReader.Line {
        PdfReader.Line(x1: x1, x2: x2, size: 10, text: text)
    }

    @Test func wrappedLinesJoinAndHeadersFootersGo() {
        let pages: [[PdfReader.Line]] = [
            [Self.line("上海国资简报", 120), Self.line("· 重要动态", 100), Self.line("标题一", 80),
             Self.line("正文第一行写到了右边的边缘", 450), Self.line("第二行结束。（甲）", 200), Self.line("- 1 -", 260, x1: 240)],
            [Self.line("上海国资简报", 120), Self.line("标题二", 80), Self.line("这一行写满到边缘，", 450),
             Self.line("分号结尾的一行也写到了边缘；", 450), Self.line("最后一行。（乙）", 200), Self.line("- 2 -", 260, x1: 240)],
        ]
        let body = PdfLayout.body(pages)
        #expect(body.map(\.text) == ["· 重要动态", "标题一", "正文第一行写到了右边的边缘", "第二行结束。（甲）",
                                     "标题二", "这一行写满到边缘，", "分号结尾的一行也写到了边缘；", "最后一行。（乙）"])
        #expect(PdfLayout.join(body) == "· 重要动态\n标题一\n正文第一行写到了右边的边缘第二行结束。（甲）\n标题二\n这一行写满到边缘，分号结尾的一行也写到了边缘；最后一行。（乙）\n")
    }

    @Test func aLineShortOfTheMarginByLessThanTheNextWordStillContinues() {
        // 50 + 0.6·10·4 = 24 points for "2019" did not fit after x2 = 430 with the margin at 450.
        let lines = [Self.line("整行", 450), Self.line("会议指出，营业收入比", 430), Self.line("2019年增长。（甲）", 200)]
        #expect(PdfLayout.join(lines) == "整行会议指出，营业收入比2019年增长。（甲）\n")
        let ended = [Self.line("整行", 450), Self.line("短的一行", 200), Self.line("下一行", 300)]
        #expect(PdfLayout.join(ended) == "整行短的一行\n下一行\n")
    }
}
