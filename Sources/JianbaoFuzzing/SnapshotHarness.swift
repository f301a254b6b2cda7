import JianbaoCorpus
@_spi(Fuzzing) import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif
import JianbaoQuery

/// FuzzSnapshot: arbitrary bytes as the corpus cache of a tiny real corpus (docs/SNAPSHOT.md),
/// read through the program's own path: `SnapshotCache` and `CorpusLoader.load(paths:cache:)`,
/// then every statement kind that reads what is kept.
extension FuzzHarness {
    /// Splits an input into the files of one corpus root: before the first marker the
    /// snapshot, then the figures, then the word statistics; a part that is not there is a
    /// file that is not there.
    static let snapshotMarker = Array("#JBFUZZ#".utf8)

    /// The statements that read kept data: issues and their text (the snapshot's entries; a
    /// clean UTF-8 file's text mapped or read from the file, the GB18030 one's converted
    /// text, through the regular expressions too: damaged, it is not UTF-8), the figures and
    /// the word statistics.
    static let snapshotStatements = ["count articles", "select paragraphs text", "count figures", "metric 营业收入",
                                     "freq words limit 5", #"count sentences where text matches /\X$/"#]

    /// The corpus, the folder its cache is made in for each input, and what a load that read
    /// every file answers (the oracle), made once per process.
    struct SnapshotSetup: @unchecked Sendable {
        var corpus: String
        var cache: SnapshotCache
        var fileCount: Int
        var diagnostics: [String]
        var output: String
        var errors: String
        /// The text of each issue, as read from its file.
        var texts: [[UInt8]]
        /// Real cache files of this build for the corpus, joined as an input is split.
        var seeds: [String: [UInt8]]
    }

    /// The folder of the corpus: `JIANBAO_FUZZ_SNAPSHOT_CORPUS` when set (Scripts/fuzz names one
    /// under .build-fuzz, so that its files, and with them their stamps, outlive the process:
    /// a snapshot names each file by its stamp, and the seeds written by one process must match
    /// the files in the next), else a folder of this process's own. Its files are written only
    /// when missing.
    static let snapshotSetup: SnapshotSetup = {
        let corpus: String
        if let named = getenv("JIANBAO_FUZZ_SNAPSHOT_CORPUS"), named.pointee != 0 {
            corpus = String(cString: named)
            mkdir(corpus, 0o700)
        } else {
            corpus = temporaryFolder()
        }
        // Two UTF-8 bulletins and one in GB18030: the snapshot keeps the first two as UTF-8
        // files (their text mapped or read from the file) and the third's converted text.
        let documents = SampleCorpus.documents
        let chosen: [(name: String, path: String, gb18030: Bool)] = [
            ("2019-12.txt", "sample/2019-12.txt", false), ("2020-06.txt", "sample/2020年第6期.txt", false),
            ("2022-02.txt", "sample/2022-02.txt", true),
        ]
        var wrote = false
        for file in chosen {
            let target = corpus + "/" + file.name
            guard access(target, F_OK) != 0 else { continue }
            let bytes = documents.first { $0.path == file.path }!.bytes
            check(writeFile(target, file.gb18030 ? convert(bytes, to: "GB18030") : bytes))
            wrote = true
        }
        // A file changed in the last two seconds is read but not kept (its stamp cannot vouch
        // for it yet, FileReader): wait until the new files are settled.
        if wrote { usleep(2_100_000) }
        // The oracle: a load through an empty cache reads every file; the statements then
        // extract the figures and segment the words, and keep both beside the snapshot.
        let version = "fuzz"
        let reference = SnapshotCache(directory: temporaryFolder() + "/jianbao", version: version)
        let load = CorpusLoader.load(paths: [corpus], parallel: false, cache: reference)
        check(load.cacheWarnings.isEmpty && load.filesRead == chosen.count && load.issues.count == chosen.count)
        let (output, errors) = run(Corpus(load))
        check(!output.isEmpty && errors.isEmpty, errors)
        let root = SnapshotCache.root(paths: [corpus], encodings: [:])
        let files = keptFiles(reference, root: root)
        let kept = files.map(readFile)
        check(kept.allSatisfy { $0 != nil }, "the reference run kept no snapshot, figures or words")
        // Seeds: the three files as this build wrote them, the snapshot alone, and the
        // snapshot with the figures; written where JIANBAO_FUZZ_SEEDS says (Scripts/fuzz).
        let all = kept.map { $0! }
        let seeds = ["all": all[0] + snapshotMarker + all[1] + snapshotMarker + all[2], "snapshot": all[0],
                     "snapshot-figures": all[0] + snapshotMarker + all[1]]
        if let folder = getenv("JIANBAO_FUZZ_SEEDS"), folder.pointee != 0 {
            for (name, bytes) in seeds { check(writeFile(String(cString: folder) + "/" + name, bytes)) }
        }
        let cache = SnapshotCache(directory: temporaryFolder() + "/jianbao", version: version)
        return SnapshotSetup(corpus: corpus, cache: cache, fileCount: chosen.count, diagnostics: load.diagnostics.map(\.description),
                             output: output, errors: errors, texts: load.issues.map { Array($0.text) }, seeds: seeds)
    }()

    /// The input as the cache of the corpus, then a load and the statements: nothing may crash,
    /// hang or leak; a damaged snapshot gives one warning; whatever was in the cache, the
    /// answers are those of a load that read every file, when the texts are (the snapshot does
    /// not checksum them); and the cache is whole afterwards (a second load takes every file
    /// from it).
    public static func snapshot(_ input: [UInt8]) {
        let setup = snapshotSetup
        let root = SnapshotCache.root(paths: [setup.corpus], encodings: [:])
        let paths = keptFiles(setup.cache, root: root)
        clear(setup.cache.directory)
        mkdir(setup.cache.directory, 0o700)
        // An input whose last byte is odd has its snapshot's checksums made to match
        // (`SnapshotSeal`): random damage almost never passes a record's checksum, and so
        // never reached the decoder of records; sealed, it does. Such a snapshot is trusted
        // as it is, so only a crash, a hang or a second warning is a failure then.
        let sealed = (input.last ?? 0) & 1 == 1
        for (k, (path, part)) in zip(paths, snapshotParts(input, count: paths.count)).enumerated() {
            check(writeFile(path, sealed && k == 0 ? SnapshotSeal.resealed(Array(part)) : Array(part)))
        }

        let load = CorpusLoader.load(paths: [setup.corpus], parallel: false, cache: setup.cache)
        check(load.cacheWarnings.count <= 1, "\(load.cacheWarnings)")
        if sealed {
            _ = run(Corpus(load))
            return
        }
        check(load.issues.count == setup.fileCount && load.diagnostics.map(\.description) == setup.diagnostics,
              "the snapshot changed what was loaded: \(load.diagnostics)")
        // The texts are not checksummed (docs/SNAPSHOT.md: damage there may change text, never
        // crash or read outside the file); with the texts as the files say, every answer is
        // the one a load that read every file gives.
        let (output, errors) = run(Corpus(load))
        let textsHeld = load.issues.count == setup.texts.count && zip(load.issues, setup.texts).allSatisfy { $0.text.elementsEqual($1) }
        check(!textsHeld || (output == setup.output && errors == setup.errors),
              "the cache changed an answer:\n\(output)\(errors)\n--- expected ---\n\(setup.output)\(setup.errors)")
        // The rebuild: the snapshot is whole again, and figures and words are kept beside it.
        let again = CorpusLoader.load(paths: [setup.corpus], parallel: false, cache: setup.cache)
        check(again.cacheWarnings.isEmpty && again.filesFromSnapshot == setup.fileCount,
              "the snapshot was not rebuilt: \(again.cacheWarnings), \(again.filesFromSnapshot) files from it")
        check(paths.allSatisfy { access($0, F_OK) == 0 }, "the figures or words were not kept again")
    }

    /// `precondition` that says why in release builds too (the fuzzer's), on standard error.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "") {
        guard !condition() else { return }
        let text = "FuzzSnapshot: " + message() + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
        fatalError(message())
    }

    /// The statements at a session over `corpus`: what it wrote and what it said.
    static func run(_ corpus: Corpus) -> (String, String) {
        let out = Output(), err = Output()
        let session = Session(corpus: corpus, mode: .tsv, style: OutputStyle(headers: true, width: nil), bail: false, out: out, err: err)
        for statement in snapshotStatements { _ = try? session.feed(statement) }
        try? session.finish()
        return (out.text, err.text)
    }

    /// The snapshot of `root` and the figures and words kept beside it, by the names the
    /// cache gives them.
    static func keptFiles(_ cache: SnapshotCache, root: String) -> [String] {
        let snapshot = cache.path(forRoot: root)
        let stem = String(snapshot.dropLast(".snapshot".count))
        return [snapshot, stem + ".figures", stem + ".words"]
    }

    /// The input cut at the first `count - 1` markers; none when it is empty.
    static func snapshotParts(_ input: [UInt8], count: Int) -> [ArraySlice<UInt8>] {
        guard !input.isEmpty else { return [] }
        var parts: [ArraySlice<UInt8>] = []
        var rest = input[...]
        while parts.count < count - 1, let at = firstIndex(of: snapshotMarker, in: rest) {
            parts.append(rest[..<at])
            rest = rest[(at + snapshotMarker.count)...]
        }
        return parts + [rest]
    }

    static func firstIndex(of marker: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        var i = bytes.startIndex
        while i <= bytes.endIndex - marker.count {
            if bytes[i] == marker[0] && bytes[i..<i + marker.count].elementsEqual(marker) { return i }
            i += 1
        }
        return nil
    }

    /// A new folder under /tmp, removed when the process ends.
    static func temporaryFolder() -> String {
        var template = Array("/tmp/jianbao-fuzz-XXXXXX".utf8CString)
        let folder = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        TemporaryFolders.add(folder)
        return folder
    }

    /// Removes the files in `folder` (the cache folder: snapshots, kept files, temporaries).
    static func clear(_ folder: String) {
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { unlink(folder + "/" + name) }
        }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return bytes }
            bytes += chunk[..<n]
        }
    }

    /// `bytes` (UTF-8) in another encoding, by iconv.
    static func convert(_ bytes: [UInt8], to encoding: String) -> [UInt8] {
        let cd = iconv_open(encoding, "UTF-8")
        check(cd != iconv_t(bitPattern: -1), "iconv cannot write \(encoding)")
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let written = input.withUnsafeMutableBufferPointer { inBuffer -> Int in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress, inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress, outLeft = outBuffer.count
                check(iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != -1 && inLeft == 0)
                return outBuffer.count - outLeft
            }
        }
        return output[..<written].map { UInt8(bitPattern: $0) }
    }
}

/// The temporary folders of this process, removed at its exit.
enum TemporaryFolders {
    nonisolated(unsafe) static var folders: [String] = []
    static func add(_ folder: String) {
        if folders.isEmpty {
            atexit {
                for folder in TemporaryFolders.folders { _ = FuzzHarness.removeTree(folder) }
            }
        }
        folders.append(folder)
    }
}

extension FuzzHarness {
    /// Removes a folder and what it holds (two levels: the cache folder inside).
    static func removeTree(_ folder: String) -> Bool {
        guard let dir = opendir(folder) else { return false }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for name in names {
            let path = folder + "/" + name
            if unlink(path) != 0 { _ = removeTree(path) }
        }
        return rmdir(folder) == 0
    }
}
