import Foundation
import Testing
import JianbaoTestSupport

/// The snapshot cache as a user meets it: `--no-cache`, `JIANBAO_NO_CACHE=1`, `.cache`,
/// `.cache clear`, and one warning for a damaged snapshot.
@Suite struct SnapshotCLITests {
    static func snapshots(_ home: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home + "/jianbao")) ?? []).filter { $0.hasSuffix(".snapshot") }
    }

    @Test func aLoadWritesOneSnapshotAndTheSwitchesWriteNone() throws {
        let home = TestPaths.freshCacheHome()
        for (arguments, environment) in [(["--no-cache"], [:]), ([], ["JIANBAO_NO_CACHE": "1"])] {
            let r = try Run.jianbao(arguments + ["-c", "count articles", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home].merging(environment) { $1 })
            #expect(r.status == 0 && r.stdout == "count\n27\n", "\(r.stderr)")
            #expect(Self.snapshots(home).isEmpty)
        }
        // The sample corpus needs none either.
        _ = try Run.jianbao(["-c", "count articles"], environment: ["XDG_CACHE_HOME": home])
        #expect(Self.snapshots(home).isEmpty)
        let cold = try Run.jianbao(["-c", "count articles", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(cold.stdout == "count\n27\n" && cold.stderr.isEmpty)
        #expect(Self.snapshots(home).count == 1)
        // HOME names it when XDG_CACHE_HOME does not.
        let other = TestPaths.freshCacheHome()
        _ = try Run.jianbao(["-c", "count articles", "Examples/corpus"], environment: ["XDG_CACHE_HOME": "", "HOME": other])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: other + "/.cache/jianbao")) ?? []).count == 1)
    }

    @Test func dotCacheShowsAndClears() throws {
        let home = TestPaths.freshCacheHome()
        _ = try Run.jianbao(["-c", "count articles", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        let shown = try Run.jianbao(["-c", ".cache", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(shown.stdout.hasPrefix("cache folder \(home)/jianbao: 1 snapshot, "), "\(shown.stdout)")
        #expect(shown.stdout.contains("(this corpus)") && shown.stdout.contains("Examples/corpus"), "\(shown.stdout)")
        let refused = try Run.jianbao(["--safe", "-c", ".cache clear", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(refused.status == 1 && refused.stderr.contains(".cache clear"), "\(refused.stderr)")
        #expect(Self.snapshots(home).count == 1)
        let cleared = try Run.jianbao(["-c", ".cache clear", "-c", "count articles", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(cleared.status == 0 && cleared.stdout == "count\n27\n")
        #expect(cleared.stderr.hasPrefix("removed 1 snapshot"), "\(cleared.stderr)")
        #expect(Self.snapshots(home).isEmpty)
        let none = try Run.jianbao(["--no-cache", "-c", ".cache", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(none.stdout.hasPrefix("no corpus cache in this run"), "\(none.stdout)")
    }

    /// A one-shot run writes its snapshot on another thread while its statements run
    /// (docs/SNAPSHOT.md "Decisions"): `.cache` in the same run waits for it and sees it whole,
    /// the process does not end before it is written, and an unwritable cache still gets its
    /// one warning. (The warning fails without the wait at the end of the run; on a corpus this
    /// small the write is usually done before `.cache` anyway, so that half only shows the
    /// listing is whole.)
    @Test func aOneShotRunsSnapshotWrittenBesideItsStatementsIsWholeAndWarnsOnce() throws {
        let home = TestPaths.freshCacheHome()
        let run = try Run.jianbao(["-c", "count articles", "-c", ".cache", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("count\n27\n"), "\(run.stdout)")
        #expect(run.stdout.contains("(this corpus)") && run.stdout.contains("10 files, 10 issues"), "\(run.stdout)")
        #expect(Self.snapshots(home).count == 1)
        let warm = try Run.jianbao(["-c", "count articles", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(warm.stdout == "count\n27\n" && warm.stderr.isEmpty, "\(warm.stderr)")
        // A file where the cache folder would be.
        let blocked = TestPaths.freshCacheHome()
        #expect(FileManager.default.createFile(atPath: blocked + "/jianbao", contents: Data("x".utf8)))
        let refused = try Run.jianbao(["-c", "count articles", "-c", "count issues", "Examples/corpus"], environment: ["XDG_CACHE_HOME": blocked])
        #expect(refused.status == 0 && refused.stdout == "count\n27\ncount\n10\n", "\(refused.stdout)")
        let warnings = refused.stderr.split(separator: "\n")
        #expect(warnings.count == 1 && warnings[0].contains("cannot write the corpus cache"), "\(refused.stderr)")
    }

    /// The texts a cold run leaves in their files are kept in the snapshot by the first run
    /// whose statements read them all (docs/SNAPSHOT.md "Texts read from their files").
    @Test func theFirstRunThatReadsEveryTextKeepsTheTextsInTheSnapshot() throws {
        let home = TestPaths.freshCacheHome()
        let texts = ["2024-01-05.txt": "· 动态\n标题一\n科创板企业的营业收入增长。\n", "2024-02-05.txt": "· 金融\n标题二\n科创债券发行。\n其他。\n"]
        let dir = try TestPaths.settledFolder(texts)
        let bytes = texts.values.reduce(0) { $0 + $1.utf8.count }
        func cache() throws -> String { try Run.jianbao(["-c", ".cache", dir], environment: ["XDG_CACHE_HOME": home]).stdout }
        let query = "count paragraphs where text contains 科创"
        _ = try Run.jianbao(["-c", "count articles", dir], environment: ["XDG_CACHE_HOME": home])
        var shown = try cache()
        #expect(shown.contains("2 files, 2 issues, 0 bytes of text"), "\(shown)")
        // A statement that reads one text only keeps nothing.
        let one = try Run.jianbao(["-c", "select paragraphs text where issue = 2024-01-05", dir], environment: ["XDG_CACHE_HOME": home])
        #expect(one.status == 0 && one.stdout.contains("科创板"), "\(one.stderr)")
        shown = try cache()
        #expect(shown.contains("2 files, 2 issues, 0 bytes of text"), "\(shown)")
        let all = try Run.jianbao(["-c", query, dir], environment: ["XDG_CACHE_HOME": home])
        #expect(all.stdout == "count\n2\n" && all.stderr.isEmpty, "\(all.stderr)")
        shown = try cache()
        #expect(shown.contains("2 files, 2 issues, \(bytes) bytes of text"), "\(shown)")
        let again = try Run.jianbao(["-c", query, dir], environment: ["XDG_CACHE_HOME": home])
        #expect(again.stdout == "count\n2\n" && again.stderr.isEmpty, "\(again.stderr)")
    }

    /// A clean UTF-8 file's text is read from the file when first needed (docs/SNAPSHOT.md
    /// "Texts read from their files"): a file cut short after the load and before that is
    /// said once, after the statement that read it, and nothing reads outside the text.
    @Test func aFileCutShortAfterTheLoadIsReportedAfterTheStatementThatReadIt() throws {
        let home = TestPaths.freshCacheHome()
        let dir = try TestPaths.settledFolder(["2024-01-05.txt": "· 动态\n标题一\n科创板企业的营业收入增长。\n· 金融\n标题二\n科创债券发行。\n"])
        let file = dir + "/2024-01-05.txt"
        let query = "count paragraphs where text contains 科创"
        let cold = try Run.jianbao(["-c", query, dir], environment: ["XDG_CACHE_HOME": home])
        #expect(cold.stdout == "count\n2\n" && cold.stderr.isEmpty, "\(cold.stderr)")
        // The first statement's output goes to a command that cuts the file short; the texts
        // are not needed until the second statement.
        let cut = ".once '|sh -c \"cat >/dev/null; printf x > \(file)\"'"
        let warm = try Run.jianbao(["-c", cut, "-c", "count articles", "-c", query, "-c", query, dir], environment: ["XDG_CACHE_HOME": home])
        #expect(warm.status == 0)
        #expect(warm.stdout == "count\n0\n" + "count\n0\n", "\(warm.stdout)")
        let lines = warm.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(warm.stderr)")
        #expect(lines.first?.contains("2024-01-05.txt changed after it was loaded") == true, "\(warm.stderr)")
        // The next run sees the change and reads the file again.
        let after = try Run.jianbao(["-c", "count articles", dir], environment: ["XDG_CACHE_HOME": home])
        #expect(after.stdout == "count\n0\n" && !after.stderr.contains("changed after it was loaded"), "\(after.stdout)\(after.stderr)")
    }

    @Test func aDamagedSnapshotGivesOneWarningAndTheRightAnswer() throws {
        let home = TestPaths.freshCacheHome()
        let query = ["-c", "count articles by year", "Examples/corpus"]
        let expected = try Run.jianbao(["--no-cache"] + query)
        _ = try Run.jianbao(query, environment: ["XDG_CACHE_HOME": home])
        let file = home + "/jianbao/" + Self.snapshots(home)[0]
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let damaged = try Run.jianbao(query, environment: ["XDG_CACHE_HOME": home])
        #expect(damaged.stdout == expected.stdout)
        #expect(damaged.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
        #expect(damaged.stderr.hasPrefix("jianbao: warning: the corpus cache ") && damaged.stderr.contains("damaged"), "\(damaged.stderr)")
        let again = try Run.jianbao(query, environment: ["XDG_CACHE_HOME": home])
        #expect(again.stdout == expected.stdout && again.stderr.isEmpty)
    }

    /// Figures are kept beside the snapshot once extracted and read back by the next run; a
    /// changed user lexicon (or a changed file) makes them again.
    @Test func keptFiguresFollowTheLexiconsAndTheFiles() throws {
        let dir = try TestPaths.settledFolder(["corpus/a.txt": "· 动态\n标题\n全年大米产量约3.5万公斤，同比增长2%，营业收入12亿元。（甲单位）\n"])
        let home = TestPaths.freshCacheHome()
        let environment = ["XDG_CACHE_HOME": home, "JIANBAO_LEXICONS": dir]
        let query = ["--no-header", "-c", "select figures metric, value, unit, change", dir + "/corpus"]
        let cold = try Run.jianbao(query, environment: environment)
        #expect(cold.stdout == "营业收入\t12\t亿元\t\n", "\(cold.stdout)")
        let kept = home + "/jianbao/" + (try FileManager.default.contentsOfDirectory(atPath: home + "/jianbao")).first { $0.hasSuffix(".figures") }!
        let written = try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date
        let warm = try Run.jianbao(query, environment: environment)
        #expect(warm.stdout == cold.stdout)
        // Read, not made again: the file is the one the first run wrote.
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date == written)
        try "# units of our own\n公斤\n".write(toFile: dir + "/units.txt", atomically: true, encoding: .utf8)
        let changed = try Run.jianbao(query, environment: environment)
        #expect(changed.stdout == "大米产量\t3.5\t万公斤\t2\n营业收入\t12\t亿元\t\n", "\(changed.stdout)")
        #expect(changed.stdout == (try Run.jianbao(["--no-cache"] + query, environment: environment)).stdout)
        try "· 动态\n标题\n全年大米产量约4.5万公斤，同比增长2%，营业收入12亿元。（甲单位）\n".write(toFile: dir + "/corpus/a.txt", atomically: true, encoding: .utf8)
        let edited = try Run.jianbao(query, environment: environment)
        #expect(edited.stdout == "大米产量\t4.5\t万公斤\t2\n营业收入\t12\t亿元\t\n", "\(edited.stdout)")
    }

    /// Kept figures are read in place, so a damaged figures file must never be read: cut
    /// short or changed at any of several places (header, columns, records, doubles,
    /// strings, tables), it is ignored without a word, the figures are extracted again, and
    /// every figure statement answers as without the cache.
    @Test func aDamagedFiguresFileIsExtractedAgainAndTheAnswersStay() throws {
        let home = TestPaths.freshCacheHome()
        let statements = ["-c", "count figures", "-c", "metric 营业收入 by year", "-c", "metric 营收 by year, subject",
                          "-c", "select figures subject, sum(amount) where base = 元 group by subject",
                          "-c", "select figures metric, value, unit, span, period, change, change_basis, change_unit, cumulative, subject, subject_key, source, sentence_n, text where issue = 2019-12",
                          "-c", "metric 客流量 where period = 2024 order by value desc", "-c", "freq metrics limit 5",
                          "Examples/corpus"]
        let expected = try Run.jianbao(["--no-cache"] + statements)
        #expect(expected.status == 0 && expected.stdout.contains("营业收入"), "\(expected.stderr)")
        let cold = try Run.jianbao(statements, environment: ["XDG_CACHE_HOME": home])
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: home + "/jianbao")) ?? []).filter { $0.hasSuffix(".figures") }
        #expect(files.count == 1)
        let kept = home + "/jianbao/" + (files.first ?? "")
        let good = try #require(FileManager.default.contents(atPath: kept))
        #expect(good.count > 4096)
        for run in [cold, try Run.jianbao(statements, environment: ["XDG_CACHE_HOME": home])] {
            #expect(run.stdout == expected.stdout && run.stderr == expected.stderr && run.status == expected.status)
        }
        var damaged: [(String, Data)] = [0, 8, 63, 64, 200, good.count / 2, good.count - 1].map { ("cut at \($0)", good.prefix($0)) }
        for at in [3, 12, 20, 28, 36, 44, 52, 60, 64, 100, 700, 1500, good.count / 3, good.count / 2, good.count * 3 / 4, good.count - 2] {
            var bytes = good
            bytes[at] ^= 0x5A
            damaged.append(("byte \(at) changed", bytes))
        }
        damaged.append(("garbage after", good + Data(repeating: 7, count: 100)))
        damaged.append(("zeros", Data(repeating: 0, count: good.count)))
        for (what, bytes) in damaged {
            try bytes.write(to: URL(fileURLWithPath: kept))
            let run = try Run.jianbao(statements, environment: ["XDG_CACHE_HOME": home])
            #expect(run.stdout == expected.stdout && run.stderr == expected.stderr && run.status == expected.status, "\(what): \(run.stderr)")
            // Made again whole.
            #expect(FileManager.default.contents(atPath: kept)?.count == good.count, "\(what)")
        }
    }

    /// Word statistics are kept beside the snapshot after a `freq words` without `where`; the
    /// next run lists from them, with any limit and either stopwords setting, and an `.export`
    /// after it still writes the words.
    @Test func keptWordStatisticsAnswerFreqWordsAsSegmentingDoes() throws {
        let home = TestPaths.freshCacheHome()
        let statements = ["-c", "freq words limit 12", "-c", ".stopwords off", "-c", "freq words limit 5 offset 3",
                          "-c", "freq words where year = 2022 limit 3", "Examples/corpus"]
        let expected = try Run.jianbao(["--no-cache"] + statements)
        #expect(expected.status == 0 && expected.stdout.contains("dp"), "\(expected.stderr)")
        let cold = try Run.jianbao(statements, environment: ["XDG_CACHE_HOME": home])
        let words = ((try? FileManager.default.contentsOfDirectory(atPath: home + "/jianbao")) ?? []).filter { $0.hasSuffix(".words") }
        #expect(words.count == 1)
        let kept = home + "/jianbao/" + (words.first ?? "")
        let written = try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date
        let warm = try Run.jianbao(statements, environment: ["XDG_CACHE_HOME": home])
        for run in [cold, warm] {
            #expect(run.stdout == expected.stdout && run.stderr == expected.stderr && run.status == expected.status)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date == written)
        // The statistics answered: an export after them still has the words.
        let out = NSTemporaryDirectory() + "jianbao-words-export-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let export = try Run.jianbao(["-c", "freq words limit 1", "-c", ".export jsonl \(out)", "Examples/corpus"], environment: ["XDG_CACHE_HOME": home])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/words.jsonl"), "\((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])")
    }

    /// Whether `strace` is here and may trace (ptrace may be refused in a container).
    static let straceTraces: Bool = (try? Run.program("/usr/bin/env", ["strace", "-f", "-o", "/dev/null", "true"]).status == 0) ?? false

    /// A signal that ends a one-shot run while its snapshot is being written takes the
    /// temporary file with it. strace holds the snapshot's one `writev` for 3 s, so the
    /// temporary file is there when SIGTERM comes (without it the write is done in a
    /// millisecond); the name of the temporary file says which process writes it.
    @Test(.enabled(if: straceTraces, "strace cannot trace here"))
    func aSignalDuringTheSnapshotWriteLeavesNoTemporaryFile() throws {
        let home = TestPaths.freshCacheHome()
        let folder = home + "/jianbao"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["strace", "-f", "-o", "/dev/null", "-e", "trace=writev", "-e", "inject=writev:delay_enter=3000000",
                             TestPaths.executable, "-c", "count articles", TestPaths.packageRoot + "/Examples/corpus"]
        process.environment = ProcessInfo.processInfo.environment.merging(["XDG_CACHE_HOME": home]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func temporaries() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".tmp-") }
        }
        let deadline = Date().addingTimeInterval(60)
        while temporaries().isEmpty && process.isRunning && Date() < deadline { usleep(2_000) }
        let found = try #require(temporaries().first, "no snapshot was being written")
        // corpus-….snapshot.tmp-<pid>-<random>
        let writer = try #require(found.split(separator: ".tmp-").last?.split(separator: "-").first.flatMap { pid_t($0) })
        #expect(kill(writer, SIGTERM) == 0)
        process.waitUntilExit()
        #expect(temporaries().isEmpty, "left behind: \(temporaries())")
        #expect(Self.snapshots(home).isEmpty)
    }

    /// A snapshot's texts are not checksummed (docs/SNAPSHOT.md): a kept text damaged on disk
    /// into bytes that are not UTF-8 reaches the regular expressions as mapped text. Such a
    /// paragraph matches nothing — in `where … matches` and in `kwic` — instead of PCRE2 (told
    /// not to check its subjects) reading the ill-formed bytes as characters or past its tables.
    @Test func aKeptTextDamagedOnDiskMatchesNoRegularExpression() throws {
        let home = TestPaths.freshCacheHome()
        let corpus = try TestPaths.settledFolder(["2024-01-05.txt": "· 动态\n标题\n第一段文字。\n第二段文字。\n"])
        let cached = ["XDG_CACHE_HOME": home]
        let statements = ["-c", "count paragraphs where text matches /^\\X+$/", "-c", "kwic /段/"]
        let plain = try Run.jianbao(["--no-header"] + statements + [corpus], environment: cached)
        #expect(plain.status == 0 && plain.stdout.hasPrefix("2\n"), "\(plain.stdout)\(plain.stderr)")
        // The first run wrote the snapshot; the second reads the text from its file and keeps it
        // in the snapshot; the third maps it.
        _ = try Run.jianbao(["-c", "count paragraphs where text contains 文"] + [corpus], environment: cached)
        let snapshot = try #require(Self.snapshots(home).first.map { home + "/jianbao/" + $0 })
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshot)))
        let first = Array("第一段".utf8)
        let at = try #require((0...(bytes.count - first.count)).first { Array(bytes[$0..<($0 + first.count)]) == first }, "the text was not kept")
        bytes[at] = 0xFD
        try Data(bytes).write(to: URL(fileURLWithPath: snapshot))
        let damaged = try Run.jianbao(["--no-header"] + statements + [corpus], environment: cached)
        #expect(damaged.status == 0, "\(damaged.stderr)")
        let lines = damaged.stdout.split(separator: "\n")
        #expect(lines.first == "1", "\(damaged.stdout)")
        #expect(lines.count == 2 && lines[1].contains("第二"), "one kwic hit, in the paragraph that is whole: \(damaged.stdout)")
    }

    /// A corpus on a read-only medium works: no run writes in the corpus folder — not the
    /// cold run that writes the snapshot, not the run that keeps the texts in it, not the one
    /// that keeps figures and words. strace lists every file call of each run; none may open
    /// a path in the corpus for writing, make, rename or remove one. (Making the folder
    /// read-only proves nothing to a test run as root, which may write there anyway.)
    @Test(.enabled(if: straceTraces, "strace cannot trace here"))
    func noRunWritesInTheCorpusFolder() throws {
        let home = TestPaths.freshCacheHome()
        let corpus = try TestPaths.settledFolder(["2024-01-05.txt": "· 动态\n标题\n营业收入3亿元，同比增长5%。（甲单位）\n",
                                                  "sub/2024-02-05.txt": "· 金融\n标题二\n科创债券发行。\n"])
        let runs = [["count articles"], ["count paragraphs where text contains 科", "count figures", "freq words limit 1"],
                    ["metric 营业收入", "select paragraphs text"]]
        for (n, statements) in runs.enumerated() {
            let log = home + "/strace-\(n)"
            let run = try Run.program("/usr/bin/env", ["XDG_CACHE_HOME=\(home)", "strace", "-f", "-qq", "-o", log, "-e", "trace=%file,%desc",
                                                       TestPaths.executable] + statements.flatMap { ["-c", $0] } + [corpus])
            #expect(run.status == 0, "\(run.stderr)")
            let calls = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            #expect(calls.contains { $0.contains(corpus + "/sub/2024-02-05.txt") } || n > 0, "strace saw the corpus read")
            // "<pid>  <call>(<arguments>) = <result>"
            let changing: Set<Substring> = ["mkdir", "mkdirat", "rename", "renameat", "renameat2", "unlink", "unlinkat", "rmdir", "link",
                                            "linkat", "symlink", "symlinkat", "truncate", "chmod", "fchmodat", "chown", "fchownat",
                                            "utimensat", "creat"]
            let writes = calls.filter { call in
                guard call.contains(corpus), let open = call.firstIndex(of: "(") else { return false }
                let name = call[..<open].split(separator: " ").last ?? ""
                return changing.contains(name) || ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"].contains { call.contains($0) }
            }
            #expect(writes.isEmpty, "\(writes)")
        }
        // The runs did what is being checked: snapshot, kept texts, figures and words.
        let kept = try FileManager.default.contentsOfDirectory(atPath: home + "/jianbao")
        #expect(Set(kept.map { ($0 as NSString).pathExtension }) == ["snapshot", "figures", "words"], "\(kept)")
        let listing = try Run.jianbao(["-c", ".cache", corpus], environment: ["XDG_CACHE_HOME": home])
        #expect(!listing.stdout.contains(" 0 bytes of text"), "\(listing.stdout)")
    }
}
