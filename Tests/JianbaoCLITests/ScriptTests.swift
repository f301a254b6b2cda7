import Foundation
import Testing
import JianbaoTestSupport

@Suite struct ScriptTests {
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "jianbao-scripts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `#!/usr/bin/env -S jianbao -f` makes a script a program; its arguments are $1, $2, …
    /// (the corpus paths, then what follows --).
    @Test func shebangScriptWithArguments() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = dir + "/report.jbq"
        try """
            #!/usr/bin/env -S \(TestPaths.executable) -f
            # Articles of one section in one year: report.jbq CORPUS -- SECTION YEAR
            select articles id, title where section = $2 and year = $3
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let result = try Run.program(script, ["Examples/corpus", "--", "金融工作", "2023"])
        #expect(result.stdout == "id\ttitle\n18\t上海国际集团发起设立 绿色低碳产业基金 首期规模50亿元\n", "\(result.stderr)")
        #expect(result.status == 0)
    }

    @Test func readDepthIsLimited() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<20 {
            try ".read \(dir)/s\(i + 1).jbq\n".write(toFile: "\(dir)/s\(i).jbq", atomically: true, encoding: .utf8)
        }
        try "count issues\n".write(toFile: "\(dir)/s20.jbq", atomically: true, encoding: .utf8)
        let result = try Run.jianbao(["-f", "\(dir)/s0.jbq", "Examples/corpus"])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "\(dir)/s15.jbq:1: error: scripts nest deeper than 16 levels (.read \(dir)/s16.jbq)\n")
    }

    @Test func scriptFromStandardInput() throws {
        let result = try Run.jianbao(["--no-header", "-f", "-", "Examples/corpus"], input: "count issues\nselect articel\ncount sections\n")
        #expect(result.stdout == "10\n")
        #expect(result.stderr.hasPrefix("<stdin>:2:8: error: unknown target 'articel'; did you mean 'articles'?"))
        #expect(result.status == 1)
    }

    @Test func csvExportExampleThroughSort() throws {
        let result = try Run.shell("'\(TestPaths.executable)' -f Examples/csv-export.jbq Examples/corpus | sort -t, -k2,2 -s | head -3")
        #expect(result.stdout == "1,2019-12,重要动态,上海市国资委,3,市国资委召开2019年四季度国资国企工作推进会\r\n2,2019-12,国企之窗,上港集团,3,上海港集装箱吞吐量再创新高 全年预计完成4330万标准箱 连续十年位居全球第一\r\n3,2019-12,国企之窗,机场集团,2,机场集团完成冬春航季换季工作\r\n")
    }

    @Test func outputGoesToAFileAndBack() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try Run.jianbao(["-c", ".output \(dir)/out.csv", "-c", ".mode csv", "-c", "count issues", "-c", ".output off", "-c", "count sections", "Examples/corpus"])
        #expect(result.stdout == "count\r\n21\r\n")
        #expect(try String(contentsOfFile: "\(dir)/out.csv", encoding: .utf8) == "count\r\n10\r\n")
    }

    /// With no mode chosen, a file's extension picks one (`.once out.csv`, `.output out.json`);
    /// a mode chosen with -m or .mode is kept.
    @Test(arguments: [
        ("out.csv", nil, "count\r\n10\r\n"), ("out.json", nil, "[\n{\"count\":10}\n]\n"), ("out.jsonl", nil, "{\"count\":10}\n"),
        ("out.md", nil, "| count |\n| ---: |\n| 10 |\n"), ("out.txt", nil, "count\n10\n"), ("out.csv", "tsv", "count\n10\n"),
    ] as [(String, String?, String)])
    func fileExtensionPicksTheMode(_ name: String, _ mode: String?, _ expected: String) throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try Run.jianbao((mode.map { ["-m", $0] } ?? []) + ["-c", ".once \(dir)/\(name)", "-c", "count issues", "-c", "count sections", "Examples/corpus"])
        #expect(result.stdout == "count\n21\n", "\(result.stderr)")
        #expect(try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8) == expected)
    }

    /// `.mode csv --bom` starts a file with one UTF-8 byte order mark however many results
    /// follow, for Excel on Windows; plain `.mode csv` none.
    @Test func csvByteOrderMarkOnceAtTheStartOfAFile() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try Run.jianbao(["-c", ".mode csv --bom", "-c", ".output \(dir)/out.csv", "-c", "count issues", "-c", "count sections",
                                      "-c", ".mode", "-c", ".output off", "-c", ".mode csv", "-c", ".once \(dir)/plain.csv", "-c", "count issues", "Examples/corpus"])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/out.csv")))
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("count\r\n10\r\ncount\r\n21\r\ncsv --bom\n".utf8))
        #expect(try String(contentsOfFile: "\(dir)/plain.csv", encoding: .utf8) == "count\r\n10\r\n")
        let wrong = try Run.jianbao(["-c", ".mode tsv --bom", "Examples/corpus"])
        #expect(wrong.stderr.contains("usage: .mode [MODE] [--bom]"))
    }

    @Test func undefinedVariableFromTheCommandLine() throws {
        let result = try Run.jianbao(["-c", "select issues id where year = $year", "Examples/corpus"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: undefined variable 'year'"))
        let defined = try Run.jianbao(["-D", "year=2019", "--no-header", "-c", "select issues id where year = $year", "Examples/corpus"])
        #expect(defined.stdout == "2019-12\n")
        let bad = try Run.jianbao(["-D", "1x=2", "-c", "count issues"])
        #expect(bad.status == 2)
    }
}
