import Foundation
import Testing
import JianbaoTestSupport

/// Statements built to exhaust the stack: each ends in a clear error naming the limit, the
/// program goes on with the next statement (bail off), and nothing crashes.
@Suite struct LimitTests {
    static let cases: [(name: String, statement: String, message: String)] = [
        ("a chain of 20,000 or", "count articles where " + Array(repeating: "year = 2023", count: 20_000).joined(separator: " or "),
         "more than 500 comparisons in one condition; for a long list of values use 'field in (…)'"),
        ("a chain of 20,000 and", "count articles where " + Array(repeating: "year > 2000", count: 20_000).joined(separator: " and "),
         "more than 500 comparisons in one condition; for a long list of values use 'field in (…)'"),
        ("5,000 parentheses", "count articles where " + String(repeating: "(", count: 5000) + "year = 2023" + String(repeating: ")", count: 5000),
         "conditions nest deeper than 64 levels"),
        ("5,000 not", "count articles where " + String(repeating: "not ", count: 5000) + "year = 2023",
         "conditions nest deeper than 64 levels"),
    ]

    @Test(arguments: cases)
    func limit(_ c: (name: String, statement: String, message: String)) throws {
        let result = try Run.jianbao(["--no-header", "--no-bail", "-f", "-", "Examples/corpus"], input: c.statement + "\ncount issues\n")
        #expect(result.stdout == "10\n", "\(c.name): the next statement runs")
        #expect(result.status == 1, "\(c.name)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4, "\(c.name): message, line, caret: \(result.stderr.prefix(300))")
        #expect(lines.first?.hasSuffix("error: " + c.message) == true, "\(c.name): \(lines.first?.prefix(200) ?? "")")
        // The statement line is shown as a window around the culprit, not 100 KB wide.
        #expect(lines.dropFirst().allSatisfy { $0.count <= 2 + 101 }, "\(c.name)")
    }

    /// A statement over 4 MiB, on one line or gathered from many (an unclosed parenthesis),
    /// is refused with its size, shown as a window; the next statement runs.
    @Test(arguments: [
        BigStatement("a 6 MB line", "count articles where title contains \"" + String(repeating: "科", count: 2_000_000) + "\""),
        BigStatement("1.5 million lines of an open (", "count articles where id in (" + String(repeating: "1,\n", count: 1_500_000) + "1"),
    ])
    func statementOverFourMegabytes(_ big: BigStatement) throws {
        let statement = big.text
        let result = try Run.jianbao(["--no-header", "--no-bail", "-f", "-", "Examples/corpus"], input: statement + "\n.echo on\ncount issues\n")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("<stdin>:1:1: error: statement of ") == true, "\(result.stderr.prefix(300))")
        let open = statement.hasSuffix("1")
        #expect(lines.first?.hasSuffix(" bytes; statements are limited to 4 MiB" + (open ? "; the rest of it is skipped up to the next statement" : "")) == true,
                "\(lines.first?.suffix(120) ?? "")")
        #expect(lines.count == 4, "one message, its line and caret: \(result.stderr.suffix(300))")
        #expect(lines.dropFirst().allSatisfy { $0.count <= 2 + 101 })
        // What follows the refused statement runs.
        #expect(result.stdout.hasSuffix("count issues\n10\n"), "\(result.stdout.suffix(200))")
        #expect(result.status == 1)
    }

    /// A statement of megabytes as a test argument, named by a short description: the test
    /// log shows the name, not 6 MB of text.
    struct BigStatement: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        init(_ name: String, _ text: String) {
            self.name = name
            self.text = text
        }
        var testDescription: String { name }
    }

    /// Just under the limit still runs.
    @Test func fiveHundredComparisonsRun() throws {
        let statement = "count articles where " + Array(repeating: "year = 2023", count: 500).joined(separator: " or ")
        let result = try Run.jianbao(["--no-header", "-c", statement, "Examples/corpus"])
        #expect(result.stdout == "5\n")
        #expect(result.status == 0, "\(result.stderr)")
    }
}

/// `.timeout`: a statement past its time stops with a message naming the limit; what follows
/// runs. (A limit of a nanosecond has passed by the first check, so this does not race.)
@Suite struct TimeoutTests {
    @Test func statementPastItsTimeStops() throws {
        let script = """
            .timeout
            .timeout 0.000000001
            count paragraphs where text matches "亿元"
            .timeout off
            count paragraphs where text matches "亿元"
            .timeout -3
            """
        let result = try Run.jianbao(["--no-bail", "--no-header", "-f", "-", "Examples/corpus"], input: script + "\n")
        #expect(result.stdout == "off (60 s for statements with matches or kwic /regex/)\n19\n", "\(result.stderr)")
        #expect(result.stderr.contains("<stdin>:3:1: error: stopped after 1e-09 s (.timeout)"), "\(result.stderr)")
        #expect(result.stderr.contains("<stdin>:6:1: error: usage: .timeout [SECONDS|off]"), "\(result.stderr)")
        #expect(result.status == 1)
    }

    /// The first figure extraction and segmentation happen while resolving; the deadline and
    /// `.timer` cover them too (a statement ran 6.6 s under `.timeout 1`). On a generated
    /// archive whose first extraction takes many seconds, `--timeout 0.3` stops it within a
    /// few, and `.timer` reports the segmentation a first `collocates` does.
    @Test func deadlineAndTimerCoverFirstTimeWork() throws {
        let folder = NSTemporaryDirectory() + "jianbao-timeout-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let generated = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/generate-archive.py", folder, "--issues", "600"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let started = Date()
        let stopped = try Run.jianbao(["--timeout", "0.3", "-c", "metric 营业收入 limit 1", folder])
        let elapsed = Date().timeIntervalSince(started)
        #expect(stopped.stderr.hasPrefix("error: stopped after 0.3 s (.timeout)"), "\(stopped.stderr)")
        #expect(stopped.status == 1)
        let unlimited = Date()
        let timed = try Run.jianbao(["-c", ".timer on", "-c", "collocates 同比 limit 1", folder])
        let whole = Date().timeIntervalSince(unlimited)
        #expect(elapsed < whole, "the deadline did not stop the first extraction: \(elapsed) s")
        let reported = timed.stderr.split(separator: "\n").first { $0.hasPrefix("time: ") }
            .flatMap { Double($0.dropFirst(6).dropLast(3)) }
        // Segmenting 600 issues takes far more than the counting after it.
        #expect((reported ?? 0) > 100, "\(timed.stderr)")
    }

    /// `--timeout` is `.timeout` from the command line; nonsense is a usage error (status 2).
    @Test func timeoutOnTheCommandLine() throws {
        let stopped = try Run.jianbao(["--timeout", "0.000000001", "--no-header", "-c", "count paragraphs where text contains 亿元", "Examples/corpus"])
        #expect(stopped.stderr.hasPrefix("error: stopped after 1e-09 s (.timeout)"), "\(stopped.stderr)")
        #expect(stopped.status == 1)
        let generous = try Run.jianbao(["--timeout", "30", "--no-header", "-c", ".timeout", "-c", "count issues", "Examples/corpus"])
        #expect(generous.stdout == "30 s\n10\n", "\(generous.stderr)")
        for bad in ["0", "-1", "abc", "inf"] {
            let result = try Run.jianbao(["--timeout", bad, "-c", "count issues"])
            #expect(result.status == 2, "--timeout \(bad)")
            #expect(result.stdout.isEmpty)
        }
    }
}
