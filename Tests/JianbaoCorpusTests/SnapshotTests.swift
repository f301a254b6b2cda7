import Foundation
import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// The persisted corpus snapshot (docs/SNAPSHOT.md): what a warm load gives must equal what
/// reading the files gives, whatever happened to the files or to the snapshot in between.
@Suite struct SnapshotTests {
    /// Everything a load produced that a query can see, as text, for comparison.
    static func fingerprint(_ result: LoadResult) -> [String] {
        var lines = result.diagnostics.map(\.description)
        for issue in result.issues {
            lines.append("\(issue.id) \(issue.path) \(issue.date?.description ?? "-") \(issue.number ?? -1) \(issue.encoding ?? "-") \(issue.format) \(issue.text.count)")
            lines.append(String(decoding: issue.text.array, as: UTF8.self))
            lines.append(issue.header.map { "\($0.lower)-\($0.upper)" }.joined(separator: ","))
            lines += issue.sections.map { "\($0)" } + issue.articles.map { "\($0)" } + issue.blocks.map { "\($0)" }
        }
        return lines
    }

    /// A corpus folder whose files are old enough to be kept (a file changed in the last
    /// second or two is read each time: its times could not tell a later change).
    static func corpus() throws -> TempFolder {
        let dir = try TempFolder()
        try dir.write("2024-01-05.txt", "2024年第1期\n· 动态\n标题一\n\(long)（甲）\n· 空栏\n")
        try dir.write("sub/2024-02-05.txt", "· 金融工作\n标题二\n第二段。\n\(long)（乙、丙）\n")
        try dir.write("2024-03-05.txt", bytes: [0xFF, 0xFE] + Array("· 动态\n标题三\n\(long)（丁）\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try dir.write("bad.txt", bytes: Array("· 动态\n标题\n坏".utf8) + [0xC3, 0x28] + Array("\(long)（戊）\n".utf8))
        Thread.sleep(forTimeInterval: 2.1)
        return dir
    }

    /// A cache of its own, in a folder removed when the tests end.
    static func cache() -> SnapshotCache {
        SnapshotCache(directory: TestPaths.freshCacheHome() + "/jianbao", version: "test")
    }

    static func snapshotFile(_ cache: SnapshotCache, _ dir: TempFolder) -> String {
        cache.path(forRoot: SnapshotCache.root(paths: [dir.path], encodings: [:]))
    }

    /// Where a snapshot's index starts (its header, bytes 16–23).
    static func indexOffset(_ snapshot: [UInt8]) -> Int {
        Int(snapshot.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) })
    }

    @Test func aWarmLoadIsTheColdLoadWithTextMappedNotRead() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        let plain = CorpusLoader.load(paths: [dir.path])
        let cold = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(cold.filesRead == 4 && cold.filesFromSnapshot == 0)
        #expect(FileManager.default.fileExists(atPath: Self.snapshotFile(cache, dir)))
        let warm = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(warm.filesFromSnapshot == 4 && warm.filesRead == 0)
        // Clean UTF-8 files are their texts: the snapshot keeps none, they are read from the
        // files when needed; the UTF-16 file and the repaired one are mapped from the snapshot.
        #expect(warm.issues.filter(\.text.isReadFromFile).map(\.id).sorted() == ["2024-01-05", "2024-02-05"])
        #expect(warm.issues.filter(\.text.isMapped).map(\.id).sorted() == ["2024-03-05", "bad"])
        #expect(warm.cacheWarnings.isEmpty && cold.cacheWarnings.isEmpty)
        #expect(Self.fingerprint(warm) == Self.fingerprint(plain))
        #expect(Self.fingerprint(cold) == Self.fingerprint(plain))
        #expect(Set(warm.files) == Set(plain.files))
        // Warnings of files read from the snapshot are still there (the repaired UTF-8).
        #expect(warm.diagnostics.contains { $0.message.contains("invalid UTF-8") })
        // A corpus on top of mapped text answers like one on top of read text.
        let a = Corpus(warm), b = Corpus(plain)
        #expect(a.names.sources == b.names.sources)
        #expect(a.figures.figures.map { $0.map(\.metric) } == b.figures.figures.map { $0.map(\.metric) })
        #expect(a.figures.figures == b.figures.figures)
    }

    /// Damage to the header or the index's head refuses the whole snapshot; damage to one
    /// file's record (each has its own checksum) refuses that entry, whose file is read again.
    @Test(arguments: ["truncate", "flip-head", "flip-record", "flip-stamp", "magic", "garbage", "text-length"])
    func aDamagedSnapshotIsIgnoredWithOneWarningAndRebuilt(_ damage: String) throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        let plain = CorpusLoader.load(paths: [dir.path])
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let file = Self.snapshotFile(cache, dir)
        var bytes = [UInt8](FileManager.default.contents(atPath: file)!)
        switch damage {
        case "truncate": bytes.removeLast(bytes.count / 3)
        case "flip-head": bytes[Self.indexOffset(bytes) + 8] ^= 0x5A    // the generation
        case "flip-record": bytes[bytes.count - 40] ^= 0x5A    // in the last file's record
        case "flip-stamp":    // the first record's modification time: it looks like a changed file
            let index = Self.indexOffset(bytes)
            let record = index + Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index + 32, as: Int64.self) })
            bytes[record + 3 * 8] ^= 0x5A
        case "magic": bytes[0] = UInt8(ascii: "X")
        // The header is outside every checksum: a length near Int.max must be refused, not
        // overflow when added to the texts' start (it trapped).
        case "text-length": bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(Int.max - 8).littleEndian, toByteOffset: 48, as: UInt64.self) }
        default: bytes = Array("not a snapshot at all, just words".utf8)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let damaged = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(damaged.cacheWarnings.count == 1, "\(damaged.cacheWarnings)")
        #expect(damaged.cacheWarnings.first?.contains("damaged") == true)
        #expect(damaged.filesFromSnapshot == (damage == "flip-record" || damage == "flip-stamp" ? 3 : 0))
        #expect(Self.fingerprint(damaged) == Self.fingerprint(plain))
        let rebuilt = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(rebuilt.cacheWarnings.isEmpty)
        #expect(rebuilt.filesFromSnapshot == 4)
        #expect(Self.fingerprint(rebuilt) == Self.fingerprint(plain))
    }

    /// Temporary files that writers killed outright (SIGKILL, a crash) left are removed by the
    /// next write once their process is gone and they are an hour old; a live writer's, and a
    /// recent one, stay.
    @Test func temporaryFilesOfGoneWritersAreSweptByTheNextWrite() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        #expect(cache.makeDirectory() == nil)
        let gone = Int32.max - 1    // above any pid_max: no such process
        let old = (name: "corpus-0000000000000001.snapshot.tmp-\(gone)-1", age: 7200)
        let recent = (name: "corpus-0000000000000001.figures.tmp-\(gone)-2", age: 60)
        let alive = (name: "corpus-0000000000000002.snapshot.tmp-\(getpid())-3", age: 7200)
        let notOurs = (name: "notes.tmp-\(gone)-4", age: 7200)
        for file in [old, recent, alive, notOurs] {
            let path = cache.directory + "/" + file.name
            #expect(FileManager.default.createFile(atPath: path, contents: Data("half".utf8)))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-Double(file.age))], ofItemAtPath: path)
        }
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: cache.directory))
        #expect(!left.contains(old.name))
        #expect(left.isSuperset(of: [recent.name, alive.name, notOurs.name]), "\(left)")
        #expect(left.contains { $0.hasSuffix(".snapshot") })
    }

    @Test func changedAddedAndRemovedFilesAreReadAloneAndTheSnapshotFollows() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        // Same size, same modification time, other words: the change time tells.
        let changed = dir.path + "/2024-01-05.txt"
        var st = stat()
        stat(changed, &st)
        let old = try String(contentsOfFile: changed, encoding: .utf8)
        try old.replacingOccurrences(of: "标题一", with: "题目一").write(toFile: changed, atomically: false, encoding: .utf8)
        var times = [st.st_atim, st.st_mtim]
        utimensat(AT_FDCWD, changed, &times, 0)
        try dir.write("2024-04-05.txt", "· 动态\n标题四\n\(long)（己）\n")
        try FileManager.default.removeItem(atPath: dir.path + "/sub/2024-02-05.txt")
        let after = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(after.filesFromSnapshot == 2 && after.filesRead == 2)
        #expect(Self.fingerprint(after) == Self.fingerprint(CorpusLoader.load(paths: [dir.path])))
        #expect(after.issues.map(\.id) == ["2024-01-05", "2024-03-05", "2024-04-05", "bad"])
        #expect(after.issues[0].title(of: after.issues[0].articles[0]) == "题目一")
        // Once the new files have settled they are kept too.
        Thread.sleep(forTimeInterval: 2.1)
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let settled = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(settled.filesFromSnapshot == 4)
        #expect(Self.fingerprint(settled) == Self.fingerprint(after))
    }

    /// The incremental path over a snapshot whose texts were kept: a file added before the
    /// others (every entry's place in load order moves by one) and a stored text changed; the
    /// snapshot written then reuses the other records and the kept texts from the old mapping,
    /// and every later load answers as reading the files does.
    @Test func aSnapshotWithKeptTextsFollowsAnAddedFileThatMovesEveryEntry() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let warm = CorpusLoader.load(paths: [dir.path], cache: cache)
        for issue in warm.issues { _ = issue.text.array }
        let store = try #require(warm.textStore)
        _ = try #require(store.keepIfAllRead()).wait()
        let mapped = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(mapped.issues.allSatisfy { $0.text.isMapped })
        try dir.write("2023-12-05.txt", "· 动态\n标题零\n\(long)（零）\n")
        try dir.write("2024-03-05.txt", bytes: [0xFF, 0xFE] + Array("· 动态\n标题三改\n\(long)（丁）\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        Thread.sleep(forTimeInterval: 2.1)
        let plain = Self.fingerprint(CorpusLoader.load(paths: [dir.path]))
        let moved = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(moved.filesFromSnapshot == 3 && moved.filesRead == 2 && moved.cacheWarnings.isEmpty)
        #expect(Self.fingerprint(moved) == plain)
        let next = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(next.filesFromSnapshot == 5 && next.cacheWarnings.isEmpty)
        #expect(next.issues.filter(\.text.isMapped).count == 4, "the kept texts and the UTF-16 one are in the new snapshot")
        #expect(Self.fingerprint(next) == plain)
    }

    @Test func aTextReadFromItsFileAfterTheFileChangedKeepsItsSizeAndIsReported() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let warm = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(warm.filesFromSnapshot == 4)
        _ = FileText.takeReports()
        let shortened = warm.issues.first { $0.id == "2024-01-05" }!, grown = warm.issues.first { $0.id == "2024-02-05" }!
        let sizes = (shortened.text.count, grown.text.count)
        #expect(shortened.text.isReadFromFile && grown.text.isReadFromFile)
        // Changed after the load and before the texts were first needed.
        try dir.write("2024-01-05.txt", "· 动态\n")
        try dir.write("sub/2024-02-05.txt", bytes: Array(String(repeating: "更长的文字。", count: 400).utf8) + [0xFF, 0xC3, 0x28])
        let cut = shortened.text.array, longer = grown.text.array
        #expect(cut.count == sizes.0 && longer.count == sizes.1)
        #expect(cut.starts(with: Array("· 动态\n".utf8)) && cut.dropFirst("· 动态\n".utf8.count).allSatisfy { $0 == 0x20 })
        #expect(longer.starts(with: Array("更长的文字。".utf8)))
        // Cut where it was cut, the bytes are still UTF-8 (a split character became `?`s).
        #expect(String(validating: cut, as: UTF8.self) != nil && String(validating: longer, as: UTF8.self) != nil)
        // Every block still lies inside its text.
        #expect(shortened.blocks.allSatisfy { Int($0.range.end) <= cut.count })
        // The reports are the process's: tests running beside this one may add theirs.
        func ours() -> [String] { FileText.takeReports().filter { $0.contains(dir.path) } }
        let reports = ours()
        #expect(reports.count == 2, "\(reports)")
        #expect(reports.contains { $0.contains("2024-01-05.txt changed after it was loaded") })
        #expect(ours().isEmpty)
        // Read once: asking again neither reads nor reports again.
        _ = shortened.text.array
        #expect(ours().isEmpty)
    }

    static func size(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : -1
    }

    @Test func textsReadFromTheirFilesAreKeptInTheSnapshotOnceAllHaveBeenRead() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        let plain = CorpusLoader.load(paths: [dir.path])
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let file = Self.snapshotFile(cache, dir)
        let indexOnly = Self.size(file)
        let warm = CorpusLoader.load(paths: [dir.path], cache: cache)
        let store = try #require(warm.textStore)
        let fromFiles = warm.issues.filter(\.text.isReadFromFile)
        #expect(fromFiles.count == 2)
        // One of the two read: nothing is written.
        _ = fromFiles[0].text.array
        #expect(store.keepIfAllRead() == nil)
        #expect(!store.isSettled && Self.size(file) == indexOnly)
        _ = fromFiles[1].text.array
        // Written on another thread: done once waited for, and only once.
        let write = try #require(store.keepIfAllRead())
        #expect(write.wait() == nil)
        #expect(store.isSettled && store.keepIfAllRead() == nil)
        // The texts are in it now (the index after them is aligned to 8 bytes).
        let texts = fromFiles.reduce(0) { $0 + $1.text.count }
        #expect(Self.size(file) >= indexOnly + texts - 7 && Self.size(file) <= indexOnly + texts + 7, "\(Self.size(file)) \(indexOnly) \(texts)")
        let kept = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(kept.filesFromSnapshot == 4 && kept.filesRead == 0 && kept.cacheWarnings.isEmpty)
        #expect(kept.issues.allSatisfy { $0.text.isMapped })
        #expect(kept.textStore == nil)
        #expect(Self.fingerprint(kept) == Self.fingerprint(plain))
        // The same corpus, so the same generation: what is kept beside the snapshot still serves.
        #expect(kept.figureStore != nil && kept.figureStore?.generation == warm.figureStore?.generation)
    }

    /// Two runs that loaded the same index-only snapshot both read every text (two cron jobs
    /// at once, say): the second finds the texts already kept and writes nothing, instead of
    /// appending its copies after them (the snapshot grew by every text each time).
    @Test func textsKeptByAnotherRunAreNotKeptTwice() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let file = Self.snapshotFile(cache, dir)
        let first = CorpusLoader.load(paths: [dir.path], cache: cache), second = CorpusLoader.load(paths: [dir.path], cache: cache)
        let stores = try [#require(first.textStore), #require(second.textStore)]
        for issue in first.issues + second.issues { _ = issue.text.array }
        _ = try #require(stores[0].keepIfAllRead()).wait()
        let kept = Self.size(file)
        _ = try #require(stores[1].keepIfAllRead()).wait()
        #expect(stores[1].isSettled && Self.size(file) == kept, "\(Self.size(file)) after the second, \(kept) after the first")
        let next = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(next.filesFromSnapshot == 4 && next.issues.allSatisfy { $0.text.isMapped } && next.cacheWarnings.isEmpty)
        #expect(Self.fingerprint(next) == Self.fingerprint(CorpusLoader.load(paths: [dir.path])))
    }

    @Test func textsAreNotKeptWhenAFileChangedBeforeItsTextWasRead() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let file = Self.snapshotFile(cache, dir)
        let indexOnly = Self.size(file)
        let warm = CorpusLoader.load(paths: [dir.path], cache: cache)
        let store = try #require(warm.textStore)
        try dir.write("2024-01-05.txt", "· 动态\n标题一\n别的文字。\n")
        for issue in warm.issues { _ = issue.text.array }
        #expect(store.keepIfAllRead() == nil)
        #expect(store.isSettled && Self.size(file) == indexOnly)
        #expect(FileText.takeReports().contains { $0.contains(dir.path + "/2024-01-05.txt changed after it was loaded") })
        let next = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(next.filesRead == 1 && next.filesFromSnapshot == 3)
        #expect(next.issues.first { $0.id == "2024-01-05" }.map { String(decoding: $0.text.array, as: UTF8.self) } == "· 动态\n标题一\n别的文字。\n")
    }

    @Test func aFileJustWrittenIsNotTrustedToItsTimes() throws {
        let dir = try TempFolder()
        try dir.write("2024-01-05.txt", "· 动态\n标题一\n\(long)（甲）\n")
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        // Rewritten at once with the same size: its times may not differ from the first.
        try dir.write("2024-01-05.txt", "· 动态\n题目一\n\(long)（甲）\n")
        let again = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(again.filesFromSnapshot == 0)
        #expect(again.issues[0].title(of: again.issues[0].articles[0]) == "题目一")
    }

    @Test func anotherEncodingOrAnotherBuildIsNotTakenFromTheSnapshot() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let other = SnapshotCache(directory: cache.directory, version: "another build")
        let rebuilt = CorpusLoader.load(paths: [dir.path], cache: other)
        #expect(rebuilt.filesFromSnapshot == 0 && rebuilt.cacheWarnings.isEmpty)
        let forced = CorpusLoader.load(paths: [dir.path], encodings: [dir.path: "GBK"], cache: other)
        #expect(forced.filesFromSnapshot == 0)
        #expect(Self.fingerprint(forced) == Self.fingerprint(CorpusLoader.load(paths: [dir.path], encodings: [dir.path: "GBK"])))
    }

    @Test func concurrentWritersLeaveOneWholeSnapshot() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        let expected = Self.fingerprint(CorpusLoader.load(paths: [dir.path]))
        let file = Self.snapshotFile(cache, dir)
        let folder = dir.path, directory = cache.directory
        let fingerprints = Guarded<[[String]]>([])
        let warnings = Guarded<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            // Each writer finds no snapshot, or one to throw away (another build's).
            let writer = SnapshotCache(directory: directory, version: k % 2 == 0 ? "test" : "other")
            let result = CorpusLoader.load(paths: [folder], parallel: false, cache: writer)
            fingerprints.withLock { $0.append(Self.fingerprint(result)) }
            warnings.withLock { $0 += result.cacheWarnings }
            try? FileManager.default.removeItem(atPath: file)
        }
        #expect(fingerprints.withLock { $0 }.allSatisfy { $0 == expected })
        #expect(warnings.withLock { $0 }.isEmpty)
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let last = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(last.cacheWarnings.isEmpty && last.filesFromSnapshot == 4)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        #expect(left.allSatisfy { !$0.contains(".tmp-") }, "\(left)")
    }

    @Test func anUnwritableCacheFolderMeansOneWarningAndTheCorpusAsRead() throws {
        let dir = try Self.corpus()
        let home = try TempFolder()
        // A file where the folder would be: no snapshot can be written (even by root).
        try home.write("blocked", "a file")
        let cache = SnapshotCache(directory: home.path + "/blocked/jianbao", version: "test")
        let first = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(first.cacheWarnings.count == 1 && first.cacheWarnings[0].contains("cannot write the corpus cache"), "\(first.cacheWarnings)")
        #expect(Self.fingerprint(first) == Self.fingerprint(CorpusLoader.load(paths: [dir.path])))
        let second = CorpusLoader.load(paths: [dir.path], cache: cache)
        #expect(second.cacheWarnings.isEmpty)
    }

    /// Kept figures as arrays, read back in place and made whole figure by figure.
    static func arrays(_ kept: KeptFigures?) -> [[Figure]]? {
        kept.map { FigureTable(kept: $0).map { Array($0) } }
    }

    @Test func keptFiguresAreTheExtractedOnesFieldForField() throws {
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [TestPaths.examples], cache: cache)
        let loaded = CorpusLoader.load(paths: [TestPaths.examples], cache: cache)
        let store = try #require(loaded.figureStore)
        #expect(store.load() == nil)
        let extracted = Corpus(CorpusLoader.load(paths: [TestPaths.examples])).figures.figures.map { Array($0) }
        #expect(extracted.joined().count > 50)
        #expect(extracted.joined().contains { $0.change != nil && $0.period != nil && !$0.span.isEmpty })
        // Every optional, in many combinations, reads back: set on some figures by hand (the
        // sample has no ranges or running totals), with periods too large or small for the flags.
        var varied = extracted, n = 0
        for i in varied.indices {
            for k in varied[i].indices {
                n += 1
                if n % 2 == 0 { varied[i][k].valueHigh = Double(n) + 0.5 }
                if n % 3 == 0 { varied[i][k].changeAbsolute = -Double(n) }
                if n % 4 == 0 { varied[i][k].change = nil }
                if n % 5 == 0 { varied[i][k].cumulative = true }
                if n % 7 == 0 { varied[i][k].period = n % 14 == 0 ? -3 : 1 << 30 }
            }
        }
        store.save(varied)
        #expect(Self.arrays(store.load(for: loaded.issues)) == varied)
        store.save(extracted)
        #expect(Self.arrays(store.load()) == extracted)
        // The columns read back with them name each figure's subject, metric, unit and amount
        // as the figures do (codes renumbered from the kept strings, -1 for no subject), and
        // a record read field by field in place is the figure.
        let kept = try #require(store.load(for: loaded.issues))
        let columns = kept.columns
        let table = FigureTable(kept: kept)
        for (i, figures) in extracted.enumerated() {
            for (k, f) in figures.enumerated() {
                let r = columns.row(issue: i, index: k)
                let subject = columns.subject[r]
                #expect((subject < 0 ? "" : columns.subjects[Int(subject)]) == f.subject)
                #expect(columns.metrics[Int(columns.metric[r])] == f.metric)
                #expect(columns.unitCode[r] == f.unitCode && columns.amount[r] == f.amount)
                let record = table.record(issue: i, index: k)
                #expect(record.metric == f.metric && record.subject == f.subject && record.qualifier == f.qualifier
                        && record.source == f.source && record.value == f.value && record.amount == f.amount
                        && record.change == f.change && record.period == f.period && record.valueHigh == f.valueHigh
                        && record.changeAbsolute == f.changeAbsolute && record.changeBasis == f.changeBasis
                        && record.changeUnit == f.changeUnit && record.span == f.span && record.cumulative == f.cumulative
                        && record.text == f.text && record.sentence == f.sentence && record.article == f.article
                        && record.block == f.block && record.unit == f.unit && record.base == f.base)
            }
        }
        #expect(Set(columns.metrics) == Set(extracted.joined().map(\.metric)))
        #expect(Set(columns.subjects) == Set(extracted.joined().map(\.subject).filter { !$0.isEmpty }))
        // The extracted figures' own columns code them alike, in the same order.
        let made = FigureColumns(extracted)
        #expect(Array(made.metric) == Array(columns.metric) && made.metrics == columns.metrics)
        #expect(Array(made.subject) == Array(columns.subject) && made.subjects == columns.subjects)
        #expect(Array(made.unitCode) == Array(columns.unitCode) && Array(made.amount) == Array(columns.amount) && made.start == columns.start)
        // A corpus made from the load uses them instead of extracting.
        let corpus = Corpus(loaded)
        #expect(corpus.figures.figures.map { Array($0) } == extracted)
        #expect(corpus.figures.count == extracted.joined().count)
        #expect(corpus.figures.milliseconds == nil)
        // Damage of any byte after the header is refused (and the figures made again).
        var bytes = [UInt8](FileManager.default.contents(atPath: store.path)!)
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: store.path))
        #expect(store.load() == nil)
        // Indices that do not fit the issues are refused even when the checksum holds.
        var wrong = extracted
        let i = try #require(wrong.firstIndex { !$0.isEmpty })
        wrong[i][0].article = 10_000
        store.save(wrong)
        #expect(store.load(for: loaded.issues) == nil)
        #expect(Self.arrays(store.load()) == wrong)
        // A store of another generation (the snapshot was rewritten) does not read them.
        store.save(extracted)
        #expect(Self.arrays(store.load(for: loaded.issues)) == extracted)
        let other = SnapshotFigures(cache: cache, path: store.path, generation: store.generation &+ 1, issueCount: store.issueCount)
        #expect(other.load() == nil)
    }

    /// A kept figures file whose checksum holds but whose content does not (written by a
    /// faulty or foreign program): any Int32 of its body set to a value out of range is
    /// either refused or reads back figures whose every field can be read — never a crash,
    /// since the figures are read in place, trusting what the load checked.
    @Test func keptFiguresWithBadCodesAndAGoodChecksumAreRefusedOrReadable() throws {
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [TestPaths.examples], cache: cache)
        let loaded = CorpusLoader.load(paths: [TestPaths.examples], cache: cache)
        let store = try #require(loaded.figureStore)
        let extracted = Corpus(CorpusLoader.load(paths: [TestPaths.examples])).figures.figures.map { Array($0) }
        store.save(extracted)
        let good = [UInt8](try #require(FileManager.default.contents(atPath: store.path)))
        #expect(Self.arrays(store.load(for: loaded.issues)) == extracted)
        let header = SnapshotFigures.headerSize
        var refused = 0, tried = 0
        // Every fourth byte of the body would be slow in a debug build: every Int32 of the
        // first part of each column, then a stride through the rest.
        var offsets = Array(stride(from: header, to: min(good.count, header + 4096), by: 4))
        offsets += stride(from: header + 4096, to: good.count - 4, by: 52).map { $0 & ~3 }
        for at in offsets {
            for bad: Int32 in [-7, Int32.max] {
                var bytes = good
                withUnsafeBytes(of: bad.littleEndian) { for k in 0..<4 { bytes[at + k] = $0[k] } }
                let sum = bytes.withUnsafeBytes { KeptFile.blockChecksum(UnsafeRawBufferPointer(rebasing: $0[header...])) }
                withUnsafeBytes(of: sum.littleEndian) { for k in 0..<8 { bytes[40 + k] = $0[k] } }
                try Data(bytes).write(to: URL(fileURLWithPath: store.path))
                tried += 1
                guard let kept = store.load(for: loaded.issues) else { refused += 1; continue }
                let table = FigureTable(kept: kept)
                for i in table.indices {
                    for k in table[i].indices {
                        let f = table[i][k]
                        let issue = loaded.issues[i]
                        _ = (f.unit, f.base, issue.articles[Int(f.article)], issue.blocks[Int(f.block)])
                        _ = issue.text.withUnsafeBufferPointer { p in (p[Int(f.text.start)..<Int(f.text.end)].count, p[Int(f.sentence.start)..<Int(f.sentence.end)].count) }
                    }
                }
            }
        }
        // Most such damage is caught (a changed number or string byte is not: the file is
        // the program's own, and its checksum finds damage from outside).
        #expect(tried > 600 && refused > tried / 2, "\(refused) of \(tried) refused")
    }

    @Test func cacheClearRemovesOnlySnapshots() throws {
        let dir = try Self.corpus()
        let cache = Self.cache()
        _ = CorpusLoader.load(paths: [dir.path], cache: cache)
        let other = cache.directory + "/notes.txt"
        try #require(FileManager.default.createFile(atPath: other, contents: Data("mine".utf8)))
        #expect(cache.list().count == 1)
        #expect(cache.list().first?.root?.hasSuffix(String(dir.path.split(separator: "/").last!)) == true)
        #expect(cache.list().first?.issues == 4)
        let (removed, _, failure) = cache.clear()
        #expect(removed == 1 && failure == nil)
        #expect(cache.list().isEmpty)
        #expect(FileManager.default.fileExists(atPath: other))
    }
}

/// A value shared between threads under a lock.
final class Guarded<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
