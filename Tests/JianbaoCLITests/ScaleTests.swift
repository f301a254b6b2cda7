import Foundation
import Testing
import JianbaoTestSupport

/// Sizes well past the sample corpus (issue 8): one file of hundreds of megabytes and tens of
/// thousands of files load whole, with queries reaching their last byte and last file.
@Suite(.serialized) struct ScaleTests {
    /// 256 MB in one bulletin: half a million articles, the last one with a word no other has.
    @Test func aSingleFileOfHundredsOfMegabytes() throws {
        let path = NSTemporaryDirectory() + "jianbao-big-\(UUID().uuidString).txt"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let paragraph = String(repeating: "上海国资国企推进改革深化提升行动，营业收入同比增长百分之五。", count: 6)
        var articles = 0, block = "大型简报 2024年第1期\n· 重要动态\n"
        var size = 0
        while size < 256 << 20 {
            for _ in 0..<1000 {
                articles += 1
                block += "第\(articles)篇标题\n\(paragraph)\n本文完。\(paragraph)（测试单位）\n"
            }
            let data = Data(block.utf8)
            handle.write(data)
            size += data.count
            block = ""
        }
        articles += 1
        handle.write(Data("最后一篇标题\n独一无二的结尾词出现在这里。（末尾单位）\n".utf8))
        try handle.close()
        let result = try Run.jianbao(["--no-header", "-c", "count articles", "-c", "kwic 独一无二 width 2",
                                      "-c", "select articles id, source where body contains 结尾词", "-c", "count sources", path])
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        #expect(result.stdout == "\(articles)\n\(articles)\t\t独一无二\t的结\n\(articles)\t末尾单位\n2\n", "\(result.stdout.prefix(500))")

        // A quarter of a million kwic rows (about 100 MB) stream to a pipe: the process holds no more
        // than one worker's buffer of them (the file is one chunk of work), not the result.
        func peak(_ statement: String) throws -> (kilobytes: Int, output: String) {
            let run = try Run.shell("/usr/bin/time -f %M -o '\(path).rss' '\(TestPaths.executable)' --no-header -c '\(statement)' '\(path)' | wc -c")
            defer { try? FileManager.default.removeItem(atPath: path + ".rss") }
            let rss = try String(contentsOfFile: path + ".rss", encoding: .utf8).split(separator: "\n").last.flatMap { Int($0) }
            return (try #require(rss, "\(run.stderr)"), run.stdout)
        }
        let loaded = try peak("count articles")
        let streamed = try peak("kwic 本文完 width 150")
        let bytes = try #require(Int(streamed.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(bytes > 90_000_000, "\(bytes) bytes of rows")
        // Without the cap the rows cost 216 MB more than the load; with it, about 30 MB in a
        // normal build and up to 80 MB under the sanitizers (ASan keeps freed memory aside).
        #expect(streamed.kilobytes - loaded.kilobytes < 110_000, "kwic held \(streamed.kilobytes - loaded.kilobytes) KB more than the load")
    }

    /// 20,000 files in 200 folders load as 20,000 issues, with a process limit of 256 open
    /// files (the loader must not hold them open).
    @Test func tensOfThousandsOfFiles() throws {
        let root = NSTemporaryDirectory() + "jianbao-many-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in 0..<200 {
            let dir = root + "/\(2000 + folder % 25)/f\(folder)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for i in 0..<100 {
                let n = folder * 100 + i
                let text = "简报第\(n)期\n· 动态\n标题\(n)\n正文第\(n)号，营业收入\(n % 97 + 1)亿元。（单位\(n % 7)）\n"
                try text.write(toFile: dir + "/issue-\(n).txt", atomically: false, encoding: .utf8)
            }
        }
        let result = try Run.shell("ulimit -n 256 && \"\(TestPaths.executable)\" --no-header -c 'count issues' -c 'count articles' -c 'select articles issue, source where body contains 正文第19999号' -c 'freq sources limit 1' '\(root)'")
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        #expect(result.stdout == "20000\n20000\nissue-19999\t单位0\n单位0\t2858\t0.1429\n", "\(result.stdout.prefix(300))")
    }
}
