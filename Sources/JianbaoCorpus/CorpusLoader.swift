import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// What one load produced: the issues in load order and every diagnostic.
public struct LoadResult: Sendable {
    public var issues: [Issue]
    public var diagnostics: [Diagnostic]
    /// The files read, by (device, inode): what an output must never overwrite.
    public var files: [FileIdentity] = []
    /// Warnings about the snapshot cache (damaged, unwritable), each said once: not about the
    /// corpus, so not among its diagnostics.
    public var cacheWarnings: [String] = []
    /// How many files came from the snapshot and how many were read (for `.cache` and tests).
    public var filesFromSnapshot = 0
    public var filesRead = 0
    /// Where the corpus's figures are kept, when this load is exactly one snapshot's content.
    public var figureStore: SnapshotFigures?
    /// Where its whole-corpus word statistics are kept, likewise.
    public var wordStore: SnapshotWords?
    /// Its texts read from their files, to be kept in the snapshot once all have been read.
    public var textStore: SnapshotTexts?
    /// The snapshot being written, when the load was asked to write it in the background:
    /// wait for it before the process ends (its warning, if any, comes then).
    public var snapshotWrite: PendingSnapshotWrite?
}

/// Loads corpora from paths or from bytes in memory.
///
/// Files are read and parsed in parallel on all cores; each result goes into the slot of
/// its file, so the outcome is the same as a serial load (tests compare the two).
public enum CorpusLoader {
    /// Loads every named path: files as issues, folders as every bulletin file below them
    /// (`.txt`, `.docx`, `.pdf`, `.html`, `.htm`). `encodings` names, per path as given, an
    /// encoding for its text files that are neither UTF-8 nor marked by a BOM (`--encoding`).
    /// A load of many files says how far it is to `progress` (the shell's progress line).
    /// With a `cache`, files unchanged since the corpus root's snapshot was written come from
    /// it (their text mapped, not read) and the rest are read; the snapshot is then rewritten
    /// when anything differed (docs/SNAPSHOT.md).
    ///
    /// With `writesInBackground`, a snapshot to write is written on another thread while the
    /// caller goes on (builds the corpus, runs its statements): `snapshotWrite` then says when
    /// it is done and whether it failed. The figures and words kept beside it already name its
    /// generation; if the write fails they are simply never matched.
    public static func load(paths: [String], encodings: [String: String] = [:], parallel: Bool = true,
                            progress: (any ProgressReporter)? = nil, cache: SnapshotCache? = nil,
                            writesInBackground: Bool = false) -> LoadResult {
        var expander = PathExpander()
        expander.parallel = parallel
        var named: [String?] = []
        for path in paths {
            expander.add(path)
            named += Array(repeating: encodings[path], count: expander.files.count - named.count)
        }
        let files = expander.files
        let fileEncodings = named
        var cacheWarnings: [String] = []
        let root = cache.map { _ in SnapshotCache.root(paths: paths, encodings: encodings) } ?? ""
        var opened: SnapshotReader?
        if let cache {
            let path = cache.path(forRoot: root)
            switch SnapshotReader.open(path, version: cache.version) {
            // Another root whose hash names the same file is another corpus's snapshot.
            case .success(let reader)?: opened = reader.root == root ? reader : nil
            case .failure(.damaged(let why))?: cacheWarnings.append("the corpus cache \(path) is damaged (\(why)); ignored and rebuilt")
            case .failure(.otherVersion)?, nil: break
            }
        }
        let snapshot = opened
        let step = WorkStep(total: files.count, stop: { false }, progress: .named("loading", unit: "files", to: progress))
        defer { progress?.finish() }
        let results = Parallel.map(files.count, parallel: parallel) { i -> Loaded in
            var loaded = load(i)
            // Its record for the snapshot, made while the issue is fresh in this core's cache
            // (a file taken from the snapshot keeps the record it has there).
            if cache != nil, loaded.origin != .snapshot, let stamp = loaded.stamp, stamp.isKnown,
               case .issue(let issue, let diagnostics) = loaded.result {
                loaded.record = SnapshotRecord(pathBytes: files[i].bytes, stamp: stamp, forcedEncoding: fileEncodings[i] ?? "",
                                               issue: issue, diagnostics: diagnostics)
            }
            return loaded
        }
        @Sendable func load(_ i: Int) -> Loaded {
            _ = step.next()
            let file = files[i]
            guard let snapshot else { return read(file, encoding: fileEncodings[i]) }
            switch snapshot.entry(path: file.bytes, stamp: file.stamp, forcedEncoding: fileEncodings[i] ?? "", hint: i) {
            case .unchanged(let k):
                if let (issue, diagnostics) = try? snapshot.result(k) {
                    let stamp = snapshot.stamp(k)
                    return Loaded(result: .issue(issue, diagnostics), identity: FileIdentity(device: stamp.device, inode: stamp.inode),
                                  stamp: stamp, origin: .snapshot, textIsFile: issue?.text.isReadFromFile ?? false,
                                  record: snapshot.keptRecord(k))
                }
            case .damaged: break
            case .changed: return read(file, encoding: fileEncodings[i])
            }
            var loaded = read(file, encoding: fileEncodings[i])
            loaded.origin = .damagedEntry
            return loaded
        }
        var result = assemble(results.map(\.result), before: expander.diagnostics)
        result.files = results.compactMap(\.identity)
        result.filesFromSnapshot = results.count { $0.origin == .snapshot }
        result.filesRead = results.count - result.filesFromSnapshot
        if let cache, cacheWarnings.isEmpty, results.contains(where: { $0.origin == .damagedEntry }) {
            cacheWarnings.append("the corpus cache \(cache.path(forRoot: root)) is damaged (bad entry); ignored and rebuilt")
        }
        if let cache {
            // What can be kept: issues (or their absence) read from a file whose stamp held.
            // The entries are made only when the snapshot is written: a warm load that takes
            // every file from it copies no issue again.
            func keepable(_ loaded: Loaded) -> Bool {
                guard let stamp = loaded.stamp, stamp.isKnown, case .issue = loaded.result else { return false }
                return true
            }
            let keptCount = results.count(where: keepable)
            let hits = result.filesFromSnapshot
            var generation = snapshot?.generation
            if !files.isEmpty && (snapshot == nil || hits != keptCount || hits != snapshot!.entryCount) {
                var entries: [SnapshotEntry] = []
                entries.reserveCapacity(keptCount)
                for loaded in results where keepable(loaded) {
                    guard case .issue(let issue, _) = loaded.result, let record = loaded.record else { continue }
                    entries.append(SnapshotEntry(issue: issue, textIsFile: loaded.textIsFile, record: record))
                }
                let made = UInt64.random(in: 1...UInt64.max)
                generation = made
                if writesInBackground {
                    result.snapshotWrite = PendingSnapshotWrite(cache: cache) { [entries] in cache.write(entries, root: root, generation: made) }
                } else if let reason = cache.write(entries, root: root, generation: made) {
                    generation = nil
                    if let warning = cache.unwritableWarning(reason) { cacheWarnings.append(warning) }
                }
            }
            // Figures are kept only for a corpus that is exactly what the snapshot holds.
            if let generation, !files.isEmpty, keptCount == files.count {
                result.figureStore = SnapshotFigures(cache: cache, path: cache.figuresPath(forRoot: root),
                                                     generation: generation, issueCount: result.issues.count)
                result.wordStore = SnapshotWords(cache: cache, path: String(cache.figuresPath(forRoot: root).dropLast(".figures".count)) + ".words",
                                                 generation: generation, issueCount: result.issues.count)
                // Texts read from their files, when the snapshot was not written again.
                if let snapshot, generation == snapshot.generation {
                    let texts = snapshot.fileTexts
                    if !texts.isEmpty {
                        result.textStore = SnapshotTexts(cache: cache, path: cache.path(forRoot: root), generation: generation, texts: texts)
                    }
                }
            }
        }
        result.cacheWarnings = cacheWarnings
        return result
    }

    /// One file's outcome: what reading it produced, whence, and the stamp it was read at.
    struct Loaded {
        enum Origin { case read, snapshot, damagedEntry }
        var result: DocumentReader.Result
        var identity: FileIdentity?
        /// The file's stamp when read; unknown when it changed meanwhile; nil when unreadable.
        var stamp: FileStamp?
        var origin = Origin.read
        /// The issue's text is the file's bytes themselves (the reader used them as read).
        var textIsFile = false
        /// Its record for the snapshot (with a cache, when it can be kept).
        var record: SnapshotRecord?
    }

    /// Reads and parses one file.
    static func read(_ file: PathExpander.File, encoding: String?) -> Loaded {
        switch FileReader.read(stamped: file.bytes) {
        case .success(let (bytes, identity, stamp)):
            let path = file.path
            let result = DocumentReader(path: path, id: file.id, encoding: encoding).read(bytes)
            // A PDF, Word file or web page read while its library (poppler, libJianbaoForms.so)
            // cannot be opened is not kept in the snapshot (no stamp): once the library is
            // there, the unchanged file must be read again.
            let libraryMissing = DocumentReader.Form.of(path: path, bytes: bytes).libraryIsMissing
            // The reader's zero-copy path: a clean UTF-8 text file becomes an issue whose text
            // shares the very storage of the bytes read, so the text is the file's bytes.
            var textIsFile = false
            if case .issue(let issue?, _) = result, issue.text.count == bytes.count, issue.text.count > 0 {
                let a = bytes.withUnsafeBufferPointer { $0.baseAddress }
                textIsFile = issue.text.withUnsafeBufferPointer { $0.baseAddress } == a
            }
            return Loaded(result: result, identity: identity, stamp: libraryMissing ? nil : stamp, textIsFile: textIsFile)
        case .failure(.system(let reason)):
            return Loaded(result: .issue(nil, [Diagnostic(.error, file: file.path, "cannot read: \(reason)")]))
        case .failure(.notAFile):
            return Loaded(result: .issue(nil, [Diagnostic(.error, file: file.path, "not a regular file")]))
        case .failure(.tooLarge(let size)):
            return Loaded(result: .issue(nil, [Diagnostic(.error, file: file.path, "file is \(size) bytes; files of 2 GiB or more are not read")]))
        case .failure(.outOfMemory(let size)):
            return Loaded(result: .issue(nil, [Diagnostic(.error, file: file.path, size == 0 ? "out of memory; skipped" : "out of memory reading this file (\(size) bytes); skipped")]))
        }
    }

    /// Loads documents held in memory (the built-in sample corpus, tests).
    public static func load(documents: [(path: String, bytes: [UInt8])], parallel: Bool = true) -> LoadResult {
        let results = Parallel.map(documents.count, parallel: parallel) { i -> DocumentReader.Result in
            let doc = documents[i]
            let name = doc.path.split(separator: "/").last.map(String.init) ?? doc.path
            return DocumentReader(path: doc.path, id: PathExpander.issueID(fileName: name), encoding: nil).read(doc.bytes)
        }
        return assemble(results, before: [])
    }

    /// Issues in file order; pages of one article each become one issue per folder and date,
    /// placed where the first of them was.
    private static func assemble(_ results: [DocumentReader.Result], before: [Diagnostic]) -> LoadResult {
        let pages = results.compactMap { result -> WebArticle? in
            if case .webArticle(let article?, _) = result { return article }
            return nil
        }
        var gathered = WebIssues.gather(pages)[...]
        var placed = Set<String>()
        var issues: [Issue] = []
        issues.reserveCapacity(results.count)
        var diagnostics = before
        for result in results {
            switch result {
            case .issue(let issue, let found):
                if let issue { issues.append(issue) }
                diagnostics += found
            case .webArticle(let article, let found):
                diagnostics += found
                // The issue of this page's date goes where its first page was.
                guard let article else { continue }
                let key = article.folder + "\u{0}" + (article.date?.description ?? "undated")
                if placed.insert(key).inserted, let (issue, more) = gathered.popFirst() {
                    issues.append(issue)
                    diagnostics += more
                }
            }
        }
        return LoadResult(issues: issues, diagnostics: diagnostics)
    }
}

/// A snapshot being written on another thread (`CorpusLoader.load(…, writesInBackground:)`).
public final class PendingSnapshotWrite: @unchecked Sendable {
    private let cache: SnapshotCache
    private let group = DispatchGroup()
    /// Set by the writing thread before it leaves the group; read only after waiting on it.
    private var reason: String?

    init(cache: SnapshotCache, _ write: @escaping @Sendable () -> String?) {
        self.cache = cache
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.reason = write()
            self.group.leave()
        }
    }

    /// Waits until the snapshot is written (or given up); the warning of an unwritable cache,
    /// once per run (nil after the first, and when it was written).
    public func wait() -> String? {
        group.wait()
        return reason.flatMap { cache.unwritableWarning($0) }
    }
}
