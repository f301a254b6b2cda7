import Foundation
import Testing
import JianbaoTestSupport

/// Which command a Ctrl-C belongs to, in the shell (as in psql and sqlite3): one pressed while a
/// line runs stops what follows in that line (a script's `.export` after its `.load`), and is
/// forgotten once the prompt reads the next line.
@Suite struct InterruptTests {
    let home: String

    init() throws {
        home = NSTemporaryDirectory() + "jianbao-interrupt-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    /// An archive whose `.load` takes over a second (a debug build loads 3,000 issues in about
    /// one), long enough for the progress line to show and a Ctrl-C to land during it.
    func archive() throws -> String {
        let archive = home + "/archive"
        let made = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/generate-archive.py", archive, "--issues", "4000"])
        try #require(made.status == 0, "\(made.stderr)")
        return archive
    }

    func shell() throws -> Terminal {
        try Terminal(arguments: ["--norc", "-q", "--no-cache"], environment: Terminal.environment(home: home, ["PAGER": "cat"]))
    }

    /// A `.load` cannot stop half way, so a Ctrl-C during it used to be forgotten by the
    /// `.export` after it, which cleared the flag when it started and wrote the whole corpus.
    /// Now the script stops there and nothing is written.
    @Test func aControlCDuringALoadInAScriptStopsTheExportAfterIt() throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        let archive = try archive()
        let target = home + "/out.db"
        try ".load \(archive)\n.export sqlite \(target)\ncount issues\n".write(toFile: home + "/s.jbq", atomically: true, encoding: .utf8)
        let t = try shell()
        try t.type(".read \(home)/s.jbq\r")
        try t.expect("loading")
        try t.send("\u{03}")
        let seen = try t.expect("s.jbq:2: interrupted; the rest of \(home)/s.jbq was not run", timeout: 60)
        #expect(!seen.contains("exported"), "\(seen)")
        try t.type(".mode\r")
        try t.expect("table\n")
        #expect(!FileManager.default.fileExists(atPath: target))
        let left = (try FileManager.default.contentsOfDirectory(atPath: home)).filter { $0.contains(".jianbao-") }
        #expect(left.isEmpty, "\(left)")
    }

    /// A Ctrl-C during a command typed at an earlier prompt is not held against the next line:
    /// the statement after an interrupted `.load` answers.
    @Test func aControlCBeforeTheLineWasReadIsForgotten() throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        let archive = try archive()
        let t = try shell()
        try t.type(".load \(archive)\r")
        try t.expect("loading")
        try t.send("\u{03}")
        try t.expect("loaded 4000 issues", timeout: 60)
        try t.type("count issues where year >= 1900\r")
        let seen = try t.expect("4010\n", timeout: 60)
        #expect(!seen.contains("interrupted"), "\(seen)")
    }
}
