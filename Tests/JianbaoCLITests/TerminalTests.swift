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

    /// Ctrl-C stops a statement that runs for seconds on a large generated archive; what is
    /// loaded stays loaded and the next query answers.
    @Test func controlCInterruptsALongStatement() throws {
        let archive = home + "/archive"
        let generated = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/generate-archive.py", archive, "--issues", "3000"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let t = try Terminal(arguments: ["--norc", "-q", archive], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
        // Sorting 700,000 sentences by their text takes seconds.
        try t.type("select sentences order by text limit 1\r")
        try t.waitForStatement()
        usleep(300_000)
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
        FileManager.default.createFile(atPath: state + "/jianbao/history", contents: Data([0xFF, 0x00, 0xFE, 0x0A, 0x41]))
        let t = try shell(env: ["XDG_STATE_HOME": state])
        try t.type("count issues\r")
        try t.expect("10\n")
        try t.type(".quit\r")
        #expect(try t.waitForExit() == 0)
        let saved = try String(contentsOfFile: state + "/jianbao/history", encoding: .utf8)
        #expect(saved.contains("count\\040issues"))
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
