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
    /// Loads every named path: files as issues, folders as every `*.txt` below them.
    public static func load(paths: [String], parallel: Bool = true) -> LoadResult {
        var expander = PathExpander()
        for path in paths { expander.add(path) }
        let files = expander.files
        let results = map(files.count, parallel: parallel) { i -> (Issue?, [Diagnostic], FileIdentity?) in
            let file = files[i]
            switch FileReader.read(bytes: file.bytes) {
            case .success(let (bytes, identity)):
                let (issue, diagnostics) = IssueReader(path: file.path, id: file.id).read(bytes)
                return (issue, diagnostics, identity)
            case .failure(.system(let reason)):
                return (nil, [Diagnostic(.error, file: file.path, "cannot read: \(reason)")], nil)
            case .failure(.notAFile):
                return (nil, [Diagnostic(.error, file: file.path, "not a regular file")], nil)
            case .failure(.tooLarge(let size)):
                return (nil, [Diagnostic(.error, file: file.path, "file is \(size) bytes; files of 2 GiB or more are not read")], nil)
            case .failure(.outOfMemory(let size)):
                return (nil, [Diagnostic(.error, file: file.path, size == 0 ? "out of memory; skipped" : "out of memory reading this file (\(size) bytes); skipped")], nil)
            }
        }
        var result = assemble(results.map { ($0.0, $0.1) }, before: expander.diagnostics)
        result.files = results.compactMap(\.2)
        return result
    }

    /// Loads documents held in memory (the built-in sample corpus, tests).
    public static func load(documents: [(path: String, bytes: [UInt8])], parallel: Bool = true) -> LoadResult {
        let results = map(documents.count, parallel: parallel) { i -> (Issue?, [Diagnostic]) in
            let doc = documents[i]
            let name = doc.path.split(separator: "/").last.map(String.init) ?? doc.path
            return IssueReader(path: doc.path, id: PathExpander.issueID(fileName: name)).read(doc.bytes)
        }
        return assemble(results, before: [])
    }

    private static func assemble(_ results: [(Issue?, [Diagnostic])], before: [Diagnostic]) -> LoadResult {
        var issues: [Issue] = []
        issues.reserveCapacity(results.count)
        var diagnostics = before
        for (issue, found) in results {
            if let issue { issues.append(issue) }
            diagnostics += found
        }
        return LoadResult(issues: issues, diagnostics: diagnostics)
    }

    /// Online processors.
    public static let coreCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Fills a new array of `count` elements on all cores: `fill` gets chunk `c` of `chunks`
    /// and a buffer over the whole array, and writes only its own part.
    public static func parallelFill<T>(count: Int, repeating value: T, chunks: Int,
                                       _ fill: @Sendable (Int, UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        var array = [T](repeating: value, count: count)
        array.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in fill(c, shared.buffer) }
        }
        return array
    }

    /// `transform` applied to 0..<count on all cores, results in index order.
    public static func parallelMap<T>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        map(count, parallel: true, transform)
    }

    /// `transform` applied to 0..<count, in parallel when asked, results in index order.
    static func map<T>(_ count: Int, parallel: Bool, _ transform: @Sendable (Int) -> T) -> [T] {
        guard parallel, count > 1 else { return (0..<count).map(transform) }
        let slots = Slots<T>(count)
        // Contiguous chunks, several per core: fewer hand-offs than one task per item, and
        // still balanced when items differ in size.
        let chunks = min(count, coreCount * 16)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (c * count / chunks)..<((c + 1) * count / chunks) {
                slots.buffer[i] = transform(i)
            }
        }
        return slots.take()
    }
}

/// Preallocated result slots written by `concurrentPerform`; each index is written once by
/// one worker, so no two threads touch the same slot.
private final class Slots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>

    init(_ count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func take() -> [T] {
        let values = buffer.map { $0! }
        return values
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}

/// A buffer handed to parallel workers that each write a disjoint part of it.
private struct SharedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
