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
    public static func load(paths: [String], encodings: [String: String] = [:], parallel: Bool = true,
                            progress: (any ProgressReporter)? = nil) -> LoadResult {
        var expander = PathExpander()
        var named: [String?] = []
        for path in paths {
            expander.add(path)
            named += Array(repeating: encodings[path], count: expander.files.count - named.count)
        }
        let files = expander.files
        let fileEncodings = named
        let step = WorkStep(total: files.count, stop: { false }, progress: .named("loading", unit: "files", to: progress))
        defer { progress?.finish() }
        let results = Parallel.map(files.count, parallel: parallel) { i -> (DocumentReader.Result, FileIdentity?) in
            _ = step.next()
            let file = files[i]
            switch FileReader.read(bytes: file.bytes) {
            case .success(let (bytes, identity)):
                return (DocumentReader(path: file.path, id: file.id, encoding: fileEncodings[i]).read(bytes), identity)
            case .failure(.system(let reason)):
                return (.issue(nil, [Diagnostic(.error, file: file.path, "cannot read: \(reason)")]), nil)
            case .failure(.notAFile):
                return (.issue(nil, [Diagnostic(.error, file: file.path, "not a regular file")]), nil)
            case .failure(.tooLarge(let size)):
                return (.issue(nil, [Diagnostic(.error, file: file.path, "file is \(size) bytes; files of 2 GiB or more are not read")]), nil)
            case .failure(.outOfMemory(let size)):
                return (.issue(nil, [Diagnostic(.error, file: file.path, size == 0 ? "out of memory; skipped" : "out of memory reading this file (\(size) bytes); skipped")]), nil)
            }
        }
        var result = assemble(results.map(\.0), before: expander.diagnostics)
        result.files = results.compactMap(\.1)
        return result
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
