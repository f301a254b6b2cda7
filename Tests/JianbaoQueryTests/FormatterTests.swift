import Testing
@testable import JianbaoQuery
@testable import JianbaoCorpus

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("简报", 4), ("ＡＢＣ", 6), ("（）", 4), ("。，", 4), ("e\u{301}", 1), ("😀", 2),
        ("\u{200B}", 0), ("a\u{200D}b", 2), ("한국", 4), ("ｶﾀｶﾅ", 4), ("\u{FE0F}", 0), ("→", 1), ("", 0),
    ])
    func width(_ text: String, _ expected: Int) {
        #expect(DisplayWidth.of(text) == expected)
    }

    @Test(arguments: [("简报数据", 5, "简报…"), ("简报数据", 8, "简报数据"), ("ab简报", 4, "ab…"),
                      ("e\u{301}e\u{301}e\u{301}", 2, "e\u{301}…"), ("😀😀", 3, "😀…"), ("abc", 0, "")])
    func truncate(_ text: String, _ width: Int, _ expected: String) {
        let cut = DisplayWidth.truncate(text, to: width)
        #expect(cut == expected)
        #expect(DisplayWidth.of(cut) <= width)
    }

    @Test func controlsAreMadeVisible() {
        #expect(DisplayWidth.visible("a\tb\nc\u{1B}") == "a␉b↵c␛")
    }

    /// Width is additive: the width of a concatenation is the sum of the widths.
    @Test func widthOfConcatenationIsTheSum() {
        let pieces = ["a", "简", "e", "\u{301}", "😀", "\u{200D}", "ＡＢ", "\t", "（", "한"]
        var state: UInt64 = 99
        for _ in 0..<2000 {
            var parts: [String] = []
            for _ in 0..<6 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                parts.append(pieces[Int(state >> 33) % pieces.count])
            }
            #expect(DisplayWidth.of(parts.joined()) == parts.map(DisplayWidth.of).reduce(0, +))
        }
    }
}

@Suite struct TableFormatterTests {
    static let rows: [[Value]] = [
        [.integer(1), .text("简报 bulletin"), .text("（全角）ＡＢＣ"), .null],
        [.integer(22), .text("emoji 😀 and e\u{301}"), .text("组合字符 é́"), .integer(-3)],
        [.integer(333), .text("tab\there\nnewline"), .text("한국어 ｶﾀｶﾅ"), .integer(123456)],
        [.integer(4), .text(""), .text("一二三四五六七八九十一二三四五六七八九十"), .integer(0)],
    ]

    func render(boxed: Bool, width: Int?) throws -> [String] {
        var f = TableFormatter(style: OutputStyle(headers: true, width: width), boxed: boxed)
        let out = Output()
        try f.begin(columns: ["id", "标题", "混合", "数"], to: out)
        for row in Self.rows { try f.row(row, to: out) }
        try f.end(to: out)
        return out.text.split(separator: "\n").map(String.init)
    }

    /// Every line of a framed table has the same display width, at natural width and fitted
    /// to a narrow terminal (then wrapped text and a footer naming what was left out); no line
    /// is wider than the terminal.
    @Test(arguments: [nil, 40, 30] as [Int?])
    func everyLineHasTheSameWidth(_ width: Int?) throws {
        let lines = try render(boxed: true, width: width)
        let framed = lines.filter { !$0.hasPrefix("…") }
        let widths = Set(framed.map(DisplayWidth.of))
        #expect(widths.count == 1, "\(lines.joined(separator: "\n"))")
        if let width { #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(lines.joined(separator: "\n"))") }
        if width == nil { #expect(lines.count == 4 + Self.rows.count) }
    }

    /// Numbers are never cut: at 40 columns the number column is left out whole and named in
    /// the footer, the id column stays whole, and text is cut with `…`.
    @Test func numbersNeverCutTextGivesWayFooterNamesWhatIsLeftOut() throws {
        let lines = try render(boxed: false, width: 40)
        #expect(lines[2].hasPrefix("  1 │"))
        #expect(lines[4].hasPrefix("333 │"))
        #expect(lines.contains { $0.contains("…") })
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 40 }, "\(lines.joined(separator: "\n"))")
        #expect(!lines.joined().contains("\t"))
        #expect(lines.last == "… 1 more column: 数", "\(lines.joined(separator: "\n"))")
        #expect(!lines.joined().contains("123"), "a number was cut")
        let wide = try render(boxed: false, width: 60)
        #expect(wide.contains { $0.hasSuffix("123,456") }, "\(wide.joined(separator: "\n"))")
    }

    /// A single row too wide for the terminal is shown as `line` (psql's `\x auto`).
    @Test func singleWideRowShownAsLines() throws {
        var f = TableFormatter(style: OutputStyle(headers: true, width: 30), boxed: false)
        let out = Output()
        try f.begin(columns: ["id", "title", "amount"], to: out)
        try f.row([.integer(7), .text("国资出资设立集成电路产业基金 总规模超过200亿元"), .amount(2e10, base: "元")], to: out)
        try f.end(to: out)
        #expect(out.text == "    id = 7\n title = 国资出资设立集成电路产业基金 总规模超过200亿元\namount = 200亿元\n")
    }

    /// In `box`, text wraps to `wrap` lines, the last cut with `…`.
    @Test(arguments: [1, 2, 3])
    func boxWrapsTextToAtMostWrapLines(_ wrap: Int) throws {
        var f = TableFormatter(style: OutputStyle(headers: false, width: 30, wrap: wrap), boxed: true)
        let out = Output()
        try f.begin(columns: ["id", "body"], to: out)
        try f.row([.integer(1), .text(String(repeating: "一二三四五六七八九十", count: 6))], to: out)
        try f.row([.integer(2), .text(String(repeating: "甲", count: 40))], to: out)
        try f.end(to: out)
        let lines = out.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 2 * wrap, "\(out.text)")
        #expect(lines.filter { $0.contains("…") }.count == 2, "\(out.text)")
        #expect(lines.allSatisfy { DisplayWidth.of($0) == 30 }, "\(out.text)")
    }

    @Test func emptyResultSaysSo() throws {
        var f = TableFormatter(style: OutputStyle(), boxed: false)
        let out = Output()
        try f.begin(columns: ["a"], to: out)
        try f.end(to: out)
        #expect(out.text == "a\n─\n(0 rows)\n")
    }
}

/// How columns share a window, over many random tables: what is shown fits (unless one column
/// alone is too wide), numbers keep their width, text never goes below its floor, and what is
/// left out is the columns at the right.
@Suite struct TableLayoutTests {
    @Test(arguments: [false, true])
    func layoutsFitAndNeverNarrowNumbers(_ boxed: Bool) {
        var state: UInt64 = 17
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        for _ in 0..<3000 {
            let n = 1 + next(14)
            let natural = (0..<n).map { _ in 1 + next(60) }
            let shrinkable = (0..<n).map { _ in next(2) == 0 }
            let floor = (0..<n).map { _ in 4 + next(14) }
            let width = 1 + next(200)
            let chrome = { (k: Int) in 3 * (k - 1) + (boxed ? 4 : 0) }
            let layout = TableLayout.fit(natural: natural, floor: floor, shrinkable: shrinkable, width: width, chrome: chrome)
            #expect(layout.shown + layout.omitted == Array(0..<n))
            #expect(!layout.shown.isEmpty)
            if layout.shown.count > 1 { #expect(layout.widths.reduce(0, +) + chrome(layout.shown.count) <= width, "\(natural) \(width)") }
            for (k, c) in layout.shown.enumerated() {
                if shrinkable[c] {
                    #expect(layout.widths[k] >= min(natural[c], floor[c]) && layout.widths[k] <= natural[c])
                } else {
                    #expect(layout.widths[k] == natural[c])
                }
            }
        }
    }

    @Test(arguments: [("一二三四五六七八九十", 4, 3, ["一二", "三四", "五…"]), ("一二三四", 4, 3, ["一二", "三四"]),
                      ("abcdefgh", 3, 2, ["abc", "de…"]), ("短", 10, 3, ["短"]), ("一二三", 1, 3, ["…"])])
    func wrap(_ text: String, _ width: Int, _ limit: Int, _ expected: [String]) {
        #expect(TableLayout.wrap(text, width: width, limit: limit) == expected)
    }
}

/// Numbers as shown in table, box, line and chart.
@Suite struct NumberDisplayTests {
    @Test(arguments: [
        (3.98e13, "元", "39.8万亿元"), (2.62987e11, "元", "2629.87亿元"), (4.153e7, "标准箱", "4153万标准箱"),
        (30.6, "自然箱", "30.6自然箱"), (3.2, "%", "3.2%"), (-1.5e9, "元", "-15亿元"), (1e4, "人", "1万人"),
        (2.93e12, "元", "2.93万亿元"), (9999, "吨", "9999吨"), (1.23456e16, "元", "12,345.6万亿元"),
    ])
    func amount(_ x: Double, _ base: String, _ expected: String) {
        #expect(NumberDisplay.amount(x, base: base) == expected)
    }

    @Test(arguments: [
        (Value.integer(4100), "chars", "4100"), (.integer(41530), "chars", "41,530"), (.integer(-1234567), "count", "-1,234,567"),
        (.integer(123456), "id", "123456"), (.integer(20190), "article", "20190"), (.number(12345.67), "value", "12,345.67"),
        (.number(2629.87), "value", "2629.87"), (.number(-98765.5), "change", "-98,765.5"), (.text("12345"), "title", "12345"),
        (.amount(3.65e12, base: "元"), "amount", "3.65万亿元"), (.null, "amount", ""),
    ])
    func cell(_ value: Value, _ column: String, _ expected: String) {
        #expect(NumberDisplay.text(value, column: column) == expected)
    }

    /// csv, tsv and json keep the raw amount for programs.
    @Test func rawInMachineModes() throws {
        for mode in [OutputMode.csv, .tsv, .json, .jsonl] {
            var f = mode.makeFormatter(OutputStyle(headers: false))
            let out = Output()
            try f.begin(columns: ["amount"], to: out)
            try f.row([.amount(3.65e12, base: "元")], to: out)
            try f.end(to: out)
            #expect(out.text.contains("3650000000000"), "\(mode): \(out.text)")
            #expect(!out.text.contains("万亿"), "\(mode)")
        }
    }
}

@Suite struct TextFormatTests {
    @Test(arguments: [("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""), ("简报，中文逗号", "简报，中文逗号")])
    func csvField(_ text: String, _ expected: String) {
        #expect(CSVFormatter.field(text) == expected)
    }

    @Test(arguments: [("a\tb", "a\\tb"), ("a\nb", "a\\nb"), ("a\\b", "a\\\\b"), ("a\rb", "a\\rb"), ("简报", "简报")])
    func tsvEscape(_ text: String, _ expected: String) {
        #expect(TSVFormatter.escape(text) == expected)
    }

    @Test func jsonEscapesAndTypes() {
        #expect(JSON.value(.text("a\"b\\c\n\u{1}")) == "\"a\\\"b\\\\c\\n\\u0001\"")
        #expect(JSON.value(.integer(-5)) == "-5")
        #expect(JSON.value(.null) == "null")
        #expect(JSON.value(.list(["甲", "乙"])) == "[\"甲\",\"乙\"]")
    }

    @Test func chartBarsUseEighthBlocksAndScaleToWidth() throws {
        var f = ChartFormatter(style: OutputStyle(headers: false, width: 40))
        let out = Output()
        try f.begin(columns: ["name", "n"], to: out)
        for (name, n) in [("甲", 8), ("乙", 4), ("丙", 1), ("丁", 0)] { try f.row([.text(name), .integer(n)], to: out) }
        try f.end(to: out)
        let lines = out.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 40 })
        let bars = lines.map { line in line.filter { "█▉▊▋▌▍▎▏".contains($0) } }
        #expect(bars[0].count > bars[1].count && bars[1].count > bars[2].count)
        #expect(lines[3].hasSuffix(" 0"))
    }

    /// Negative, zero, tiny, huge and infinite values: no crash, no bar for what is not
    /// positive, and the largest value the longest bar. (Negative values alone made the
    /// scale's maximum the smallest double and the bar length -∞: found by FuzzStatements.)
    @Test(arguments: [
        [-9.4, -18.6],
        [0, 0],
        [-5, 3, 0],
        [1e-300, 2e-300],
        [1e308, -1e308, 5],
        [Double.infinity, 2, -Double.infinity],
    ])
    func chartSurvivesAnyNumbers(_ values: [Double]) throws {
        var f = ChartFormatter(style: OutputStyle(headers: false, width: 40))
        let out = Output()
        try f.begin(columns: ["name", "x"], to: out)
        for (i, x) in values.enumerated() { try f.row([.text("行\(i)"), .number(x)], to: out) }
        try f.end(to: out)
        let bars = out.text.split(separator: "\n").map { line in line.filter { "█▉▊▋▌▍▎▏".contains($0) }.count }
        #expect(bars.count == values.count)
        let finitePositive = values.filter { $0 > 0 && $0.isFinite }
        for (x, bar) in zip(values, bars) {
            if !(x > 0 && x.isFinite) { #expect(bar == 0, "\(x)") }
            if x == finitePositive.max() { #expect(bar == bars.max(), "\(x)") }
        }
    }
}

/// The one JSON string escaper (`jsonl` output mode and `.export jsonl`): every escape JSON
/// and JavaScript readers need, and nothing else touched.
@Suite struct JSONStringTests {
    @Test(arguments: [
        ("简报", "\"简报\""), ("a\"b", "\"a\\\"b\""), ("a\\b", "\"a\\\\b\""), ("a\nb\r\tc", "\"a\\nb\\r\\tc\""),
        ("\u{1}\u{1F}", "\"\\u0001\\u001f\""), ("\u{7F}", "\"\u{7F}\""), ("\u{2028}x\u{2029}", "\"\\u2028x\\u2029\""),
        ("\u{2028}\u{2028}", "\"\\u2028\\u2028\""), ("€₂", "\"€₂\""), ("", "\"\""),
    ])
    func escapes(_ text: String, _ expected: String) {
        #expect(JSON.string(text) == expected)
        #expect(JSONLEncoder.quoted(text) == Array(expected.utf8))
    }
}
