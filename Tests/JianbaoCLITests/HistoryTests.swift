import Foundation
import Testing
import JianbaoTestSupport

/// The shell's history file under issue 18's attacks: two shells with one HOME, entries that
/// are not UTF-8 or hold NUL and escape sequences, and `.output` aimed at the file.
@Suite struct HistoryTests {
    let home: String

    init() throws {
        home = NSTemporaryDirectory() + "jianbao-history-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func shell() throws -> Terminal {
        try Terminal(arguments: ["--norc", "-q", TestPaths.examples], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
    }

    /// Each shell appends only its own entries: both shells' statements are kept (saving the
    /// whole history kept only the last writer's).
    @Test func twoShellsKeepBothHistories() throws {
        let a = try shell(), b = try shell()
        // A shell appends its entry after the statement has run, just before its next prompt:
        // each step waits for that prompt, so the file's order is the order typed.
        try a.type("count issues\r")
        try a.expect("10\n")
        try a.waitForEditor()
        try b.type("count sections\r")
        try b.expect("21\n")
        try b.waitForEditor()
        try a.type("count articles\r")
        try a.expect("27\n")
        try a.waitForEditor()
        try b.type(".quit\r")
        #expect(try b.waitForExit() == 0)
        try a.type(".quit\r")
        #expect(try a.waitForExit() == 0)
        let c = try shell()
        try c.type(".history\r")
        // Oldest first: A's, B's, A's.
        let seen = try c.expect("count articles")
        for entry in ["1  count issues", "2  count sections", "3  count articles"] {
            #expect(seen.contains(entry), "\(entry): \(seen)")
        }
    }

    /// An entry with bytes that are not UTF-8, a NUL and an escape sequence is kept whole and
    /// shown with U+FFFD, ␀ and ␛: nothing reaches the terminal raw, nothing is cut.
    @Test func oddEntriesAreKeptAndShown() throws {
        // libedit's format: one entry a line, white space and control bytes as \ooo.
        let file = Array("_HiStOrY_V2_\nselect\\040".utf8) + [0xFF] + Array("x\ncount\\040\\000issues\\033]0;pwned\\007\n".utf8)
        try #require(FileManager.default.createFile(atPath: home + "/.jianbao_history", contents: Data(file)))
        let t = try shell()
        try t.type(".history\r")
        let seen = try t.expect("pwned␇")
        #expect(seen.contains("select \u{FFFD}x"), "\(seen)")
        #expect(seen.contains("count ␀issues␛]0;pwned␇"), "\(seen)")
        #expect(!seen.contains("\u{1B}]0;"))
    }

    /// A file with twice the 2,000 entries kept is cut back to the last 2,000 when one is
    /// appended, oldest dropped.
    @Test func aLongHistoryIsCutBack() throws {
        let old = (0..<4100).map { "select\\040articles\\040where\\040id\\040=\\040\($0)\\040--\\040padding\\040padding" }
        try (["_HiStOrY_V2_"] + old).joined(separator: "\n").appending("\n").write(toFile: home + "/.jianbao_history", atomically: true, encoding: .utf8)
        let t = try shell()
        try t.type("count issues\r")
        try t.expect("10\n")
        try t.type(".quit\r")
        #expect(try t.waitForExit() == 0)
        let lines = try String(contentsOfFile: home + "/.jianbao_history", encoding: .utf8).split(separator: "\n")
        // Cut back when `count issues` was appended (old 2101…4099 and it), then `.quit` added.
        #expect(lines.count == 2002, "the cookie and 2,001 entries")
        #expect(lines.first == "_HiStOrY_V2_")
        #expect(lines.last == ".quit" && lines[lines.count - 2] == "count\\040issues")
        #expect(lines[1].contains("=\\0402101\\040"), "\(lines[1])")
    }

    /// `.output` onto the history file is refused and the file stays.
    @Test func outputOntoTheHistoryIsRefused() throws {
        let t = try shell()
        try t.type("count issues\r")
        try t.expect("10\n")
        try t.type(".output \(home)/.jianbao_history\r")
        try t.expect("it is the history file")
        try t.type(".quit\r")
        #expect(try t.waitForExit() == 1, "a refused command is a failure")
        let saved = try String(contentsOfFile: home + "/.jianbao_history", encoding: .utf8)
        #expect(saved.hasPrefix("_HiStOrY_V2_\ncount\\040issues\n"), "\(saved)")
    }
}
