import Foundation
import Testing
import JianbaoTestSupport

/// `.export sqlite` and `.export jsonl` (docs/EXPORT.md), read back by the real engines:
/// Python's sqlite3 and DuckDB (Scripts/read-export.py).
@Suite struct ExportTests {
    let dir = NSTemporaryDirectory() + "jianbao-export-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// What an engine saw: rows per table and paragraphs containing 科创.
    struct Seen: Decodable, Equatable {
        var tables: [String: Int]
        var kechuang: Int
    }

    func read(_ engine: String, _ path: String) throws -> Seen {
        let run = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/read-export.py", engine, path])
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONDecoder().decode(Seen.self, from: Data(run.stdout.utf8))
    }

    /// Jianbao's own `count` of a target, and of paragraphs containing 科创.
    func count(_ statement: String, _ corpus: [String]) throws -> Int {
        let run = try Run.jianbao(["--no-header", "-c", statement] + corpus)
        return Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test(arguments: [[TestPaths.examples], [TestPaths.seed]])
    func enginesReadWhatJianbaoCounts(corpus: [String]) throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Run.jianbao(["-c", "freq words limit 1", "-c", ".export sqlite \(dir)/corpus.db",
                                   "-c", ".export jsonl \(dir)/jsonl"] + corpus)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("exported 8 tables"), "\(run.stderr)")
        let sqlite = try read("sqlite", dir + "/corpus.db")
        let duckdb = try read("duckdb", dir + "/jsonl")
        #expect(sqlite == duckdb)
        for target in ["issues", "sections", "articles", "paragraphs", "sentences", "figures", "sources"] {
            #expect(sqlite.tables[target] == (try count("count \(target)", corpus)), "\(target)")
        }
        #expect((sqlite.tables["words"] ?? 0) > 0, "words were segmented, so they are exported")
        #expect(sqlite.kechuang == (try count("count paragraphs where text contains 科创", corpus)))
        // An SQL user counts Chinese words from the words table as `freq words` does: the same
        // counts and article counts for its top words, and its shares of the same total.
        let freq = try Run.jianbao(["--no-header", "-c", "freq words limit 5"] + corpus)
        let rows = freq.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        try #require(rows.count == 5 && rows.allSatisfy { $0.count == 5 }, "\(freq.stdout)")
        let query = """
        import sqlite3, sys
        db = sqlite3.connect('\(dir)/corpus.db')
        total = db.execute('SELECT count(*) FROM words').fetchone()[0]
        for word in sys.argv[1:]:
            n, articles = db.execute('SELECT count(*), count(DISTINCT article) FROM words WHERE word = ?', (word,)).fetchone()
            print(word, n, articles, f'{n / total:.6f}'.rstrip('0').rstrip('.'))
        """
        let counted = try Run.program("/usr/bin/env", ["python3", "-c", query] + rows.map { $0[0] })
        #expect(counted.stdout == rows.map { "\($0[0]) \($0[1]) \($0[3]) \($0[2])\n" }.joined(), "\(counted.stdout)\(counted.stderr)")
    }

    /// Every value written is the value `select` shows: each JSON-lines file is, line for line,
    /// `select TARGET` in the `jsonl` output mode, and each SQLite table holds the same rows
    /// (the export makes dates, figures' sentence numbers and texts with encoders of its own).
    @Test func exportedValuesAreWhatSelectShows() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Texts that JSON must escape: quotes, a backslash, a tab (and U+2028 and a control
        // character, which the loader turns into a line end and drops).
        let escapes = dir + "/2024-01-05.txt"
        try "· 动态\n引号\"标题\"\n他说\"好\"，路径C:\\数据\t制表\u{2028}分隔\u{1}控制，营业收入3亿元。（甲单位）\n".write(toFile: escapes, atomically: true, encoding: .utf8)
        let corpus = [TestPaths.examples, TestPaths.seed, escapes]
        let run = try Run.jianbao(["-c", ".export sqlite \(dir)/a.db", "-c", ".export jsonl \(dir)/j"] + corpus)
        #expect(run.status == 0, "\(run.stderr)")
        let targets = ["issues", "sections", "articles", "paragraphs", "sentences", "figures", "sources"]
        for target in targets {
            let select = try Run.jianbao(["--mode", "jsonl", "-c", "select \(target)"] + corpus)
            let file = try String(contentsOfFile: "\(dir)/j/\(target).jsonl", encoding: .utf8)
            #expect(!select.stdout.isEmpty && file == select.stdout, "\(target)")
        }
        let compare = """
        import json, sqlite3, sys
        db = sqlite3.connect('\(dir)/a.db')
        for table in \(targets):
            cursor = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            names = [c[0] for c in cursor.description]
            lists = {'sources', 'title_lines'} if table == 'articles' else set()
            rows = [{n: json.loads(v) if n in lists else v for n, v in zip(names, r)} for r in cursor]
            lines = [json.loads(l) for l in open(f'\(dir)/j/{table}.jsonl', encoding='utf-8')]
            print(table, len(rows), 'same' if rows == lines else 'different')
        """
        let seen = try Run.program("/usr/bin/env", ["python3", "-c", compare]).stdout.split(separator: "\n")
        #expect(seen.count == targets.count && seen.allSatisfy { $0.hasSuffix(" same") && !$0.hasSuffix(" 0 same") }, "\(seen)")
    }

    /// An export from a warm snapshot — issues mapped, figures read from the kept file, word
    /// statistics kept — is the export made from the files, table for table and row for row.
    @Test func anExportFromTheSnapshotIsTheExportFromTheFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let home = TestPaths.freshCacheHome()
        let corpus = [TestPaths.examples, TestPaths.seed]
        let cached = ["XDG_CACHE_HOME": home]
        let plain = try Run.jianbao(["--no-cache", "-c", "freq words limit 1", "-c", ".export sqlite \(dir)/plain.db"] + corpus)
        #expect(plain.status == 0, "\(plain.stderr)")
        // The first run writes the snapshot and keeps figures and words beside it; the second
        // takes all of them from there.
        let first = try Run.jianbao(["-c", "count figures", "-c", "freq words limit 1", "-c", "count paragraphs where text contains 的"] + corpus, environment: cached)
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        let warm = try Run.jianbao(["-c", "freq words limit 1", "-c", ".export sqlite \(dir)/warm.db", "-c", ".cache"] + corpus, environment: cached)
        #expect(warm.status == 0, "\(warm.stderr)")
        #expect(warm.stdout.contains("(this corpus)") && warm.stdout.contains(".figures: ") && warm.stdout.contains(".words: "), "\(warm.stdout)")
        let compare = """
        import sqlite3
        a, b = sqlite3.connect('\(dir)/plain.db'), sqlite3.connect('\(dir)/warm.db')
        tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        assert tables == [r[0] for r in b.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for t in tables:
            rows = lambda db: db.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
            x, y = rows(a), rows(b)
            print(t, len(x), 'same' if x == y else 'different')
        """
        let seen = try Run.program("/usr/bin/env", ["python3", "-c", compare]).stdout.split(separator: "\n")
        #expect(seen.count == 8 && seen.allSatisfy { $0.hasSuffix(" same") && !$0.hasSuffix(" 0 same") }, "\(seen)")
    }

    /// Columns are typed as the fields, list fields are JSON text, articles.id is the key.
    @Test func columnsFollowTheSchema() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Run.jianbao(["-c", ".export sqlite \(dir)/a.db"])
        #expect(run.status == 0, "\(run.stderr)")
        let query = """
        import sqlite3
        db = sqlite3.connect('\(dir)/a.db')
        print(db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles'").fetchone()[0])
        print(*db.execute("SELECT sources, title_lines FROM articles WHERE id = 2").fetchone())
        print(*db.execute("SELECT typeof(amount), typeof(period) FROM figures LIMIT 1").fetchone())
        print(*sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")))
        print('words' in [r[0] for r in db.execute("SELECT name FROM sqlite_master")])
        """
        let lines = try Run.program("/usr/bin/env", ["python3", "-c", query]).stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 5, "\(lines)")
        #expect(lines[0].contains(#""id" INTEGER PRIMARY KEY"#), "\(lines[0])")
        #expect(lines[0].contains(#""title_lines" TEXT"#) && lines[0].contains(#""chars" INTEGER"#), "\(lines[0])")
        #expect(lines[1] == #"["上港集团"] ["上海港集装箱吞吐量再创新高","全年预计完成4330万标准箱","连续十年位居全球第一"]"#)
        #expect(lines[2] == "real integer")
        // The join keys of every table; the text tables on `article` alone (EXPORT.md "Indexes").
        #expect(lines[3] == "articles_issue articles_year figures_article figures_issue figures_metric figures_period "
                + "figures_subject figures_year issues_id issues_year paragraphs_article sections_issue sentences_article",
                "\(lines[3])")
        #expect(lines[4] == "False", "no words table before anything segmented")
    }

    @Test func refusesTheCorpusFolderAndFilesItDidNotWrite() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = dir + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try "· 动态\n标题\n营业收入3亿元。（甲单位）\n".write(toFile: corpus + "/a.txt", atomically: true, encoding: .utf8)

        let inside = try Run.jianbao(["-c", ".export sqlite \(corpus)/x.db", corpus])
        #expect(inside.status == 1)
        #expect(inside.stderr.contains("refusing to export into the corpus folder"), "\(inside.stderr)")
        #expect(!FileManager.default.fileExists(atPath: corpus + "/x.db"))

        let foreign = dir + "/notes.db"
        try "my own notes\n".write(toFile: foreign, atomically: true, encoding: .utf8)
        let refused = try Run.jianbao(["-c", ".export sqlite \(foreign)", corpus])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing to overwrite \(foreign)"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == "my own notes\n")

        let forced = try Run.jianbao(["-c", ".export sqlite \(foreign) force", corpus])
        #expect(forced.status == 0, "\(forced.stderr)")
        let again = try Run.jianbao(["-c", ".export sqlite \(foreign)", corpus])
        #expect(again.status == 0, "a database it wrote may be replaced: \(again.stderr)")
        #expect(try read("sqlite", foreign).tables["articles"] == 1)

        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        try "{}\n".write(toFile: dir + "/out/articles.jsonl", atomically: true, encoding: .utf8)
        let jsonl = try Run.jianbao(["-c", ".export jsonl \(dir)/out", corpus])
        #expect(jsonl.status == 1)
        #expect(jsonl.stderr.contains("refusing to overwrite \(dir)/out/articles.jsonl"), "\(jsonl.stderr)")
        #expect(try String(contentsOfFile: dir + "/out/articles.jsonl", encoding: .utf8) == "{}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["articles.jsonl"], "nothing else left behind")

        let usage = try Run.jianbao(["-c", ".export parquet \(dir)/p", corpus])
        #expect(usage.status == 1)
        #expect(usage.stderr.contains(".export sqlite FILE|jsonl DIR [force]"), "\(usage.stderr)")
    }

    /// A disk that fills during the export: an error naming the file, status 1, and the export
    /// that was there before is still whole (a small tmpfs, room for the one-line export of about
    /// 100 KB and not for the sample; needs root, as CI has).
    @Test func aFullDiskLeavesTheOldExport() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = dir + "/small"
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        let mount = try Run.program("/bin/mount", ["-t", "tmpfs", "-o", "size=160k", "tmpfs", small])
        try #require(mount.status == 0, "cannot mount a tmpfs here: \(mount.stderr)")
        defer { _ = try? Run.program("/bin/umount", [small]) }
        let corpus = dir + "/one.txt"
        try "· 动态\n标题\n营业收入3亿元。（甲单位）\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        let first = try Run.jianbao(["-c", ".export sqlite \(small)/a.db", corpus])
        #expect(first.status == 0, "\(first.stderr)")
        let full = try Run.jianbao(["-c", ".export sqlite \(small)/a.db", TestPaths.examples, TestPaths.seed])
        #expect(full.status == 1)
        #expect(full.stderr.contains("full"), "\(full.stderr)")
        #expect(try read("sqlite", small + "/a.db").tables["articles"] == 1, "the old export is intact")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small) == ["a.db"], "no temporary file is left")
    }

    /// Ctrl-C in a one-shot run (`-c '.export …'`, no shell to catch it) ends the program as
    /// before, but the half-written temporary file goes with it and stderr says so; an
    /// export's file that was there before stays whole (EXPORT.md "Safety").
    @Test(arguments: ["sqlite", "jsonl"])
    func aSignalDuringAnExportLeavesNoTemporaryFile(format: String) throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = dir + "/corpus"
        let made = try Run.program("/usr/bin/env", ["python3", TestPaths.packageRoot + "/Scripts/generate-archive.py", corpus, "--issues", "1200"])
        try #require(made.status == 0, "\(made.stderr)")
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let target = format == "sqlite" ? out + "/a.db" : out + "/jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable)
        process.arguments = ["--no-cache", "-c", ".export \(format) \(target)", corpus]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The moment a temporary file is there, the export is under way: interrupt it.
        func temporaries() -> [String] {
            let folders = [out, target]
            return folders.flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".tmp") }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while temporaries().isEmpty && process.isRunning && Date() < deadline { usleep(2_000) }
        try #require(process.isRunning, "the export ended before it could be interrupted")
        usleep(50_000)
        process.interrupt()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT, "\(stderr)")
        #expect(temporaries().isEmpty, "left behind: \(temporaries())")
        #expect(!FileManager.default.fileExists(atPath: format == "sqlite" ? target : target + "/issues.jsonl"))
        #expect(stderr.contains("jianbao: stopped before \(out)/"), "\(stderr)")
    }
}
