import Foundation
import Testing
import JianbaoTestSupport

/// Thousands of mangled statements at one run, and mangled bulletin files at `--check`: no
/// crash, no hang, and a message for every statement that did not run.
@Suite struct RobustnessTests {
    /// Words, symbols and values that make statements go wrong in interesting ways.
    static let vocabulary = [
        "select", "count", "metric", "show", "articles", "paragraphs", "sentences", "figures", "issues", "sections",
        "sources", "where", "and", "or", "not", "(", ")", "=", "!=", "<", ">=", "contains", "matches", "in", "order",
        "by", "limit", "offset", "asc", "desc", ",", "\"", "'", "/", "科创", "金融工作", "营业收入", "2023", "-1",
        "99999999999999999999", "1e400", "$1", "${x", "\"(科", "\"[a-\"", "\t", "\u{3000}", "０１２", "万亿元", "%", "*",
        "title", "body", "year", "date", "id", "value", "unit", "change", "subject", "text", "from", "、", "，", "\u{0}",
        "\u{7F}", "😀", "e\u{301}", "2024-02-30", "3.65万亿元", "\"a\\\"b\"",
    ]

    /// The statements of the golden scripts and examples, each mangled by one to four random
    /// insertions, deletions or replacements after its first word (so that every line still
    /// starts a statement and gets its own message or output).
    static func statements(count: Int, seed: UInt64) throws -> [String] {
        var base: [String] = []
        let root = TestPaths.packageRoot
        let files = (FileManager.default.enumerator(atPath: root + "/Tests/Golden")?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".jbq") }.map { root + "/Tests/Golden/" + $0 }
        for file in files {
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
                let first = line.split(separator: " ").first.map(String.init) ?? ""
                if ["select", "count", "metric", "show"].contains(first), !line.contains(";"), !line.hasSuffix("\\") {
                    base.append(String(line))
                }
            }
        }
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        return (0..<count).map { _ in
            var words = base[next(base.count)].split(separator: " ").map(String.init)
            for _ in 0..<(1 + next(4)) {
                let position = 1 + next(words.count)
                switch next(3) {
                case 0: words.insert(vocabulary[next(vocabulary.count)], at: position)
                case 1: if position < words.count { words.remove(at: position) }
                default: if position < words.count { words[position] = vocabulary[next(vocabulary.count)] }
                }
            }
            // No comment starts, separators or continuations: one line, one statement.
            return words.joined(separator: " ").replacingOccurrences(of: "#", with: "")
                .replacingOccurrences(of: "--", with: "").replacingOccurrences(of: ";", with: "")
                .replacingOccurrences(of: "\\", with: "")
        }
    }

    @Test func threeThousandMangledStatements() throws {
        let statements = try Self.statements(count: 3000, seed: 2026)
        let script = NSTemporaryDirectory() + "jianbao-mangled-\(UUID().uuidString).jbq"
        defer { try? FileManager.default.removeItem(atPath: script) }
        // Each statement after a numbered comment, which `.echo on` writes: a marker no output
        // line can be mistaken for.
        let text = ".echo on\n" + statements.indices.map { "# statement \($0)\n" + statements[$0] + "\n" }.joined()
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try Run.jianbao(["--no-bail", "-m", "tsv", "-f", script, "Examples/corpus"])
        #expect(result.status == 1, "a run with failures ends with status 1, not a signal: \(result.stderr.suffix(500))")

        // Statements that got an error (statement i is on line 2i + 3).
        var failed = Set<Int>()
        for line in result.stderr.split(separator: "\n") where line.hasPrefix(script + ":") {
            let rest = line.dropFirst(script.count + 1)
            if rest.contains("error:"), let n = Int(rest.prefix { $0.isNumber }) { failed.insert((n - 3) / 2) }
        }
        // What each statement wrote after its echo.
        var written = Array(repeating: 0, count: statements.count)
        var current = -1
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "# statement \(current + 1)" { current += 1; continue }
            if current >= 0, !line.isEmpty, line != statements[current] { written[current] += 1 }
        }
        #expect(current == statements.count - 1, "every statement was read and echoed")
        let silent = statements.indices.filter { !failed.contains($0) && written[$0] == 0 }
        #expect(silent.isEmpty, "statements with neither output nor an error: \(silent.prefix(5).map { statements[$0] })")
        #expect(failed.count > 500 && failed.count < 2900, "the mangling makes many statements fail, not all: \(failed.count)")
    }

    @Test func mangledBulletinsAtCheck() throws {
        let folder = NSTemporaryDirectory() + "jianbao-mangled-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let root = TestPaths.packageRoot + "/Examples/corpus"
        let sources = try (FileManager.default.subpathsOfDirectory(atPath: root)).filter { $0.hasSuffix(".txt") }.sorted()
            .map { try Array(Data(contentsOf: URL(fileURLWithPath: root + "/" + $0))) }
        let inserts: [[UInt8]] = [Array("\n\n\n".utf8), [0xE4, 0xB8], [0xEF, 0xBB, 0xBF], Array("\r\n".utf8),
                                  Array(String(repeating: "（", count: 50).utf8), Array("一、".utf8),
                                  Array(String(repeating: "9", count: 400).utf8), Array("\n重要动态\n".utf8), [0xFF]]
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return n <= 0 ? 0 : Int(state >> 33) % n
        }
        for n in 0..<200 {
            var bytes = sources[next(sources.count)]
            for _ in 0..<(1 + next(30)) {
                let p = next(bytes.count)
                switch next(5) {
                case 0: if p < bytes.count { bytes[p] = UInt8(next(256)) }
                case 1: bytes.removeSubrange(p..<min(bytes.count, p + 1 + next(200)))
                case 2: let q = next(bytes.count); bytes.insert(contentsOf: bytes[q..<min(bytes.count, q + next(500))], at: p)
                case 3: bytes.insert(contentsOf: inserts[next(inserts.count)], at: p)
                default: bytes.removeSubrange(p...)
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/\(1000 + n).txt"))
        }
        let check = try Run.jianbao(["--check", folder])
        #expect(check.status == 0 || check.status == 1, "\(check.stderr.suffix(300))")
        #expect(check.stdout.contains(" issues, "), "a summary line: \(check.stdout.suffix(300))")
        // Every file that was not loaded is named with a reason.
        let summary = check.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let loaded = Int(summary.prefix { $0.isNumber }) ?? -1
        let skipped = Set(check.stdout.split(separator: "\n").filter { $0.contains(": error:") }.map { $0.prefix { $0 != ":" } })
        #expect(loaded + skipped.count == 200, "\(summary); \(skipped.count) files with errors")
        // Queries over what loaded run: figures, sentences and sources on mangled text.
        let queries = try Run.jianbao(["--no-bail", "-m", "tsv", "-c", "count figures; count sentences; count sources; select figures metric limit 1", folder])
        #expect(queries.status == 0, "\(queries.stderr.suffix(300))")
    }
}
