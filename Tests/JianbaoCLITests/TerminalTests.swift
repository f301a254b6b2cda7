import Foundation
import Testing
import JianbaoTestSupport

/// The interactive shell in a real pseudo-terminal: the libedit line editor, keys, completion,
/// Ctrl-C and Ctrl-D, history across restarts, the pager. LANG is left unset throughout, so
/// CJK editing also shows the locale fallback at work.
@Suite struct TerminalTests {
    let home: String
    let examples = TestPaths.examples

    init() throws {
        home = NSTemporaryDirectory() + "jianbao-home-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func shell(_ extra: [String] = [], env: [String: String] = [:], rows: UInt16 = 40) throws -> Terminal {
        try Terminal(arguments: ["--norc"] + extra + [examples], environment: Terminal.environment(home: home, ["PAGER": "cat"].merging(env) { $1 }), rows: rows)
    }

    @Test func cjkTypoFixedWithBackspace() throws {
        let t = try shell()
        try t.expect("jianbao> ")
        try t.type("select articles id, title where section = 金融工做")
        try t.send("\u{7F}")
        try t.send("作\r")
        let seen = try t.expect("国资出资设立集成电路产业基金")
        #expect(!seen.contains("error:"))
    }

    @Test func cursorMovesAcrossCJKAndInsertsInTheMiddle() throws {
        let t = try shell()
        // Left twice from the end lands after 金; 融 goes in between.
        try t.type("select articles id where section = 金工作")
        try t.send("\u{1B}[D\u{1B}[D融\r")
        try t.expect(" 5\n")
        // Home and End (Ctrl-A, Ctrl-E) around CJK text.
        try t.type("rticles id, title where title contains 菜篮子")
        try t.send("\u{01}select a\u{05} limit 1\r")
        try t.expect("光明食品集团全力保障市民“菜篮子”")
    }

    @Test func tabCompletesKeywordFieldAndCJKSection() throws {
        let t = try shell()
        try t.type("sel\tart\tid, ti\t")
        try t.type(" where sec\t= 国\t\r")
        try t.expect("上海港集装箱吞吐量再创新高")
        // Several candidates are listed under the line.
        try t.type("select articles where so\t\t")
        try t.expect("source")
        try t.expect("sources")
    }

    /// kwic on a terminal: the statement completes from `kw`, and the matches stand in one
    /// column however many CJK characters the left context holds; `freq` completes its kinds.
    @Test func kwicAlignsTheMatchColumnAndFreqCompletes() throws {
        let t = try shell()
        try t.type("kw\t同比增长 width 4 limit 3\r")
        let seen = try t.expect("3.2%")
        // Columns where each row's match starts, escapes removed, CJK counted as two.
        let columns = seen.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            .split(separator: "\n").filter { $0.contains("│ 同比增长") }.map { line in
                line[..<line.range(of: "同比增长")!.lowerBound].unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
            }
        #expect(columns.count == 3, "\(seen)")
        #expect(Set(columns).count == 1, "\(columns)")
        try t.type("freq w\t limit 2\r")
        try t.expect("同比")
    }

    @Test func controlCClearsAHalfTypedLine() throws {
        let t = try shell()
        try t.type("select articles where bogus")
        try t.send("\u{03}")
        try t.type("count issues\r")
        let seen = try t.expect("10\n")
        #expect(!seen.contains("error:"))
    }

    /// Ctrl-C at an empty prompt and at the continuation prompt abandons what is open and
    /// stays, as psql and sqlite3 do: the mode and variables set before it are still there,
    /// and the unfinished statement never runs.
    @Test func controlCAtAnEmptyOrContinuationPromptStays() throws {
        let t = try shell()
        try t.type(".mode csv\r")
        try t.type(".set who 机场集团\r")
        try t.expect("jianbao> ")
        try t.type("\u{03}")
        try t.expect("jianbao> ")
        try t.type("select issues id \\\r")
        try t.expect("   ...> ")
        try t.type("\u{03}")
        try t.expect("jianbao> ")
        try t.type("select articles id where (section = 金融工作\r")
        try t.expect("   ...> ")
        try t.type("\u{03}")
        try t.type("count articles where source = $who\r")
        let seen = try t.expect("count\n3\n")
        #expect(!seen.contains("2019-12"), "the abandoned statement ran: \(seen)")
        #expect(!seen.contains("error"), "\(seen)")
        try t.type(".quit\r")
        #expect(try t.waitForExit() == 0)
    }

    /// Ctrl-C stops a statement that runs for seconds on a large generated archive (which says
    /// how long it has run meanwhile); what is loaded stays loaded and the next query answers.
    @Test func controlCInterruptsALongStatement() throws {
        let archive = home + "/archive"
        let generated = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/generate-archive.py", archive, "--issues", "3000"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let t = try Terminal(arguments: ["--norc", "-q", archive], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
        // Sorting 700,000 sentences by their text takes seconds.
        try t.type("select sentences order by text limit 1\r")
        try t.waitForStatement()
        // Past half a second, a statement with no step to report says how long it has run.
        try t.expect("running  0.")
        try t.expect(" s  (Ctrl-C stops it)")
        let started = Date()
        try t.send("\u{03}")
        try t.expect("interrupted")
        #expect(Date().timeIntervalSince(started) < 3)
        try t.type("count issues\r")
        try t.expect("3000\n")
    }

    @Test func controlDLeavesAndSavesHistoryThenUpRecallsIt() throws {
        do {
            let t = try shell()
            try t.type("count sections\r")
            try t.expect("21\n")
            try t.type("\u{04}")
            #expect(try t.waitForExit() == 0)
        }
        let history = try String(contentsOfFile: home + "/.jianbao_history", encoding: .utf8)
        #expect(history.contains("count\\040sections"))
        let t = try shell()
        try t.type("\u{1B}[A")
        try t.expect("count sections")
        try t.send("\r")
        try t.expect("21\n")
    }

    @Test func historyGoesToXDGStateHomeAndABrokenFileIsSurvived() throws {
        let state = home + "/state"
        try FileManager.default.createDirectory(atPath: state + "/jianbao", withIntermediateDirectories: true)
        try #require(FileManager.default.createFile(atPath: state + "/jianbao/history", contents: Data([0xFF, 0x00, 0xFE, 0x0A, 0x41])))
        let t = try shell(env: ["XDG_STATE_HOME": state])
        try t.type("count issues\r")
        try t.expect("10\n")
        try t.type(".quit\r")
        #expect(try t.waitForExit() == 0)
        // The new entry is appended; the bytes already there are kept, not dropped.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: state + "/jianbao/history"))
        #expect(bytes.prefix(5) == Data([0xFF, 0x00, 0xFE, 0x0A, 0x41]))
        #expect(String(decoding: bytes, as: UTF8.self).contains("count\\040issues"))
    }

    /// A statement over two lines: the continuation prompt, one history entry, `.history`;
    /// and ~/.editrc is honoured (Ctrl-T bound there to wipe the line).
    @Test func continuationHistoryListAndEditrc() throws {
        try "jianbao:bind ^T em-kill-line\n".write(toFile: home + "/.editrc", atomically: true, encoding: .utf8)
        let t = try shell()
        try t.type("select issues id \\\r")
        try t.expect("   ...> ")
        try t.type("where year = 2019\r")
        try t.expect("2019-12\n")
        try t.type("garbage that must go")
        try t.send("\u{14}")
        try t.type(".history\r")
        try t.expect(".history\n")
        // One entry for the two lines, as typed; the wiped line never ran.
        let listed = try t.expect("jianbao> ")
        #expect(listed == "    1  select issues id \\\n       where year = 2019\njianbao> ")
    }

    /// A statement continued with `\` is one history entry of two lines; recalled and entered
    /// again it runs again (it failed with "unexpected '\'").
    @Test func recalledBackslashStatementRunsAgain() throws {
        let t = try shell()
        try t.type("select issues id \\\r")
        try t.type("where year = 2019\r")
        try t.expect("2019-12\n")
        try t.type("\u{1B}[A")
        try t.expect("where year = 2019")
        try t.send("\r")
        let seen = try t.expect("2019-12\n")
        #expect(!seen.contains("error"), "\(seen)")
    }

    @Test func pagerForTallOutputOnly() throws {
        let t = try shell(env: ["PAGER": "sed s/^/PAGED:/"], rows: 20)
        try t.type("select paragraphs article, n\r")
        try t.expect("PAGED:")
        try t.expect("27 │ 2\n")
        try t.type("count issues\r")
        let seen = try t.expect("10\n")
        #expect(!seen.contains("PAGED:"))
        // Never when output is piped, even with a pager set.
        let piped = try Run.jianbao(["-c", "select paragraphs article", examples], environment: ["PAGER": "sed s/^/PAGED:/"])
        #expect(!piped.stdout.contains("PAGED:"))
    }

    @Test func bannerQuietAndRunCommandsFile() throws {
        try ".mode csv\n.set who 机场集团\n".write(toFile: home + "/.jianbaorc", atomically: true, encoding: .utf8)
        let t = try Terminal(arguments: [examples], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
        try t.expect("jianbao 0.1.0 · 10 issues, 27 articles loaded in")
        try t.type("count articles where source = $who\r")
        try t.expect("count\n3\n")
        let quiet = try Terminal(arguments: ["-q", "--norc", examples], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
        try quiet.type(".mode\r")
        let seen = try quiet.expect("table\n")
        #expect(!seen.contains("jianbao 0.1.0"))
    }
}

/// The shell on a real terminal for what an analyst meets daily: wide results fitted to the
/// window and following its size, listings through the pager, a progress line on long first
/// work, and Ctrl-C in the middle of it.
@Suite struct ShellTerminalTests {
    let home: String
    let examples = TestPaths.examples

    init() throws {
        home = NSTemporaryDirectory() + "jianbao-home-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func shell(columns: UInt16, rows: UInt16 = 40, env: [String: String] = [:], _ extra: [String] = []) throws -> Terminal {
        try Terminal(arguments: ["--norc", "-q"] + extra + [examples],
                     environment: Terminal.environment(home: home, ["PAGER": "cat", "NO_COLOR": "1"].merging(env) { $1 }),
                     rows: rows, columns: columns)
    }

    /// The lines of a table just shown: from its header to the line before the next prompt.
    func table(_ seen: String, header: String) -> [String] {
        let lines = seen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return [] }
        return Array(lines[start...].prefix { !$0.hasPrefix("jianbao>") && !$0.isEmpty })
    }

    /// At 140 columns the 13 fields of articles fit as whole as they can: dates and numbers
    /// whole, text cut with `…`, and the columns that do not fit named in a footer; at 80 the
    /// same with more left out. No line is wider than the window.
    @Test(arguments: [140, 80] as [UInt16])
    func wideResultsFitWithoutCuttingNumbersOrDates(_ columns: UInt16) throws {
        let t = try shell(columns: columns)
        try t.type("select articles where section = 金融工作\r")
        let seen = try t.expect(".mode line shows every field\n")
        let lines = table(seen, header: "id")
        #expect(lines.count == 7, "\(seen)")
        #expect(lines.allSatisfy { Terminal.width($0) <= Int(columns) }, "\(seen)")
        #expect(seen.contains("2021-09-30"), "a date was cut: \(seen)")
        #expect(seen.range(of: "[0-9]…", options: .regularExpression) == nil, "a number was cut: \(seen)")
        if columns == 140 {
            #expect(lines.last == "… 2 more columns: chars, body; .mode line shows every field", "\(seen)")
            #expect(seen.contains("国资出资设立…"), "\(seen)")
        } else {
            #expect(lines.last!.hasPrefix("… "), "\(seen)")
        }
        // Figures: amounts read as written, never cut.
        try t.type("select figures limit 3\r")
        let figures = try t.expect(".mode line shows every field\n")
        #expect(figures.contains("2.93万亿元") || columns == 80, "\(figures)")
        #expect(figures.range(of: "[0-9]…", options: .regularExpression) == nil, "\(figures)")
    }

    /// Started at 80 columns and widened to 160: the next table uses the new width.
    @Test func windowResizeIsFollowed() throws {
        let t = try shell(columns: 80)
        try t.type("select figures article, metric, value, unit, amount, subject, text limit 2\r")
        let narrow = try t.expect("article") + t.expect("jianbao> ")
        #expect(table(narrow, header: "article").allSatisfy { Terminal.width($0) <= 80 }, "\(narrow)")
        #expect(!narrow.contains("本市地方国有企业"), "\(narrow)")
        try t.resize(rows: 40, columns: 160)
        try t.type("select figures article, metric, value, unit, amount, subject, text limit 2\r")
        let wide = try t.expect("article") + t.expect("jianbao> ")
        #expect(wide.contains("本市地方国有企业"), "\(wide)")
        #expect(table(wide, header: "article").contains { Terminal.width($0) > 80 }, "\(wide)")
    }

    /// `.help`, `.fields` and `.history` go through the pager like results when they are taller
    /// than the screen; a short listing does not.
    @Test func listingsGoThroughThePager() throws {
        let t = try shell(columns: 100, rows: 12, env: ["PAGER": "sed s/^/PAGED:/"])
        try t.type(".help\r")
        try t.expect("PAGED:Statements:")
        try t.type(".fields figures\r")
        try t.expect("PAGED:")
        for n in 0..<12 { try t.type("count issues where year >= \(2000 + n)\r") }
        try t.type(".history\r")
        // Entries 1 and 2 are the .help and .fields before.
        try t.expect("PAGED:   14  count issues where year >= 2011")
        try t.type(".mode\r")
        let seen = try t.expect("table\n")
        #expect(!seen.contains("PAGED:"))
    }

    /// On a large archive: the first `freq words` shows a progress line on the terminal while it
    /// segments, erased when the result comes; Ctrl-C during that first segmentation stops it
    /// and the shell stays with the corpus loaded; a statement with nothing long shows none.
    /// Piped, the same statement writes no progress at all.
    @Test func progressLineAndControlCDuringFirstSegmentation() throws {
        let archive = home + "/archive"
        let generated = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/generate-archive.py", archive, "--issues", "600"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let t = try Terminal(arguments: ["--norc", "-q", archive], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
        try t.type("freq words limit 1\r")
        try t.expect("segmenting words")
        try t.expect("/600 issues")
        try t.send("\u{03}")
        try t.expect("interrupted")
        try t.type("count issues\r")
        try t.expect("600\n")
        try t.type("freq words limit 1\r")
        try t.expect("segmenting words")
        try t.expect("share", timeout: 120)
        // Erased before the result: after the last progress text, an erase comes before the
        // result's header.
        let raw = String(decoding: t.raw, as: UTF8.self)
        let last = try #require(raw.range(of: "segmenting words", options: .backwards))
        let after = raw[last.upperBound...]
        let erase = try #require(after.range(of: "\r\u{1B}[K"), "the progress line was never erased")
        let header = try #require(after.range(of: "term"))
        #expect(erase.lowerBound < header.lowerBound, "\(after.prefix(300))")
        try t.expect("jianbao> ")
        try t.type("count issues where year >= 2000\r")
        let quick = try t.expect("jianbao> ")
        #expect(!quick.contains("running") && !quick.contains("segmenting"), "\(quick)")
        let piped = try Run.jianbao(["-c", "freq words limit 1", archive])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("segmenting"), "\(piped.stderr)")
        #expect(!piped.stdout.contains("segmenting"))
    }
}
