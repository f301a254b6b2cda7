import Foundation
import Testing
import JianbaoTestSupport

@Suite struct CommandLineTests {
    @Test func closedPipeEndsQuietlyWithStatusZero() throws {
        // pipefail makes the pipeline's status jianbao's when head is happy.
        let result = try Run.shell("'\(TestPaths.executable)' -c 'select sentences' Examples/corpus ../shared/seed | head -1")
        #expect(result.stdout == "article\tissue\tsection\tn\ttext\tdate\tyear\n")
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func realPipelines() throws {
        let lines = try Run.shell("'\(TestPaths.executable)' --no-header -c 'select articles id' Examples/corpus | wc -l")
        #expect(lines.stdout.trimmingCharacters(in: .whitespaces) == "27\n".trimmingCharacters(in: .whitespaces))
        let sorted = try Run.shell("'\(TestPaths.executable)' --no-header -c 'select sources name, articles' Examples/corpus | sort -t$'\\t' -k2,2nr | head -1")
        #expect(sorted.stdout == "上海市国资委\t10\n")
    }

    @Test func statementsFromStandardInput() throws {
        let result = try Run.jianbao(["Examples/corpus"], input: "count issues\nselect issues id\\\n, date\n")
        #expect(result.stdout.hasPrefix("count\n10\nid\tdate\n2019-12\t2019-12\n"))
        #expect(result.status == 0)
    }

    @Test func sampleCorpusFromAnyDirectoryAndEnvironment() throws {
        let sample = try Run.program(TestPaths.executable, ["-c", "count articles"], in: "/")
        #expect(sample.stdout == "count\n27\n")
        let env = try Run.jianbao(["-c", "count articles"], environment: ["JIANBAO_CORPUS": TestPaths.seed])
        #expect(env.stdout == "count\n5\n")
    }

    static let statusCases: [([String], Int32)] = [
        (["--bogus"], 2),
        (["-m", "pie", "-c", "count issues"], 2),
        (["-c"], 2),
        (["-c", "count nothing"], 1),
        (["-c", "count issues", "/nonexistent/path"], 3),
        (["-c", "count issues"], 0),
        (["-f", "/nonexistent.jbq"], 1),
    ]

    @Test(arguments: statusCases)
    func exitStatus(_ arguments: [String], _ status: Int32) throws {
        let result = try Run.jianbao(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        if status == 2 { #expect(result.stderr.contains("Usage: jianbao")) }
    }

    @Test func helpAndVersion() throws {
        let help = try Run.jianbao(["--help"])
        #expect(help.status == 0)
        for option in ["--command", "--file", "--mode", "--no-header", "--bail", "--check", "--quiet", "--version", "CORPUS"] {
            #expect(help.stdout.contains(option), "--help lacks \(option)")
        }
        let version = try Run.jianbao(["--version"])
        #expect(version.stdout == "0.1.0\n")
    }

    @Test func commandsAndScriptsRunInTheOrderGiven() throws {
        let dir = NSTemporaryDirectory() + "jianbao-order-\(UUID().uuidString).jbq"
        try "count sections\n".write(toFile: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try Run.jianbao(["--no-header", "-c", "count issues", "-f", dir, "-c", "count articles", "Examples/corpus"])
        #expect(result.stdout == "10\n21\n27\n")
    }

    @Test func hugeLineLoadsWithAWarning() throws {
        let path = NSTemporaryDirectory() + "jianbao-huge-\(UUID().uuidString).txt"
        let line = String(repeating: "很长的一行", count: 350_000) + "。"
        try "· 动态\n标题\n\(line)\n结尾。（甲单位）\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Run.jianbao(["--check", path])
        #expect(result.stdout == "\(path):3:1: warning: line is 5250003 bytes long (over 1 MB); kept\n1 issue, 1 article; 0 errors, 1 warning\n")
        #expect(result.status == 0)
    }
}
