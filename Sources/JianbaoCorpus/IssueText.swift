import CBytes
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An issue's UTF-8 text: either bytes the reader made (an array) or a stretch of a mapped
/// snapshot file (docs/SNAPSHOT.md), read in place and never copied. Both answer the same
/// calls the code has always made on the text (`withUnsafeBufferPointer`, `count`, indexing,
/// slicing), so nothing that reads an issue needs to know where its bytes are.
public struct IssueText: RandomAccessCollection, Sendable, Equatable {
    private enum Storage: @unchecked Sendable {
        case owned([UInt8])
        /// `start` stays valid as long as `file` lives (the mapping ends in its deinit).
        case mapped(MappedFile, UnsafePointer<UInt8>?, Int)
        /// A clean UTF-8 file whose text is exactly its bytes: read from the file the first
        /// time it is needed (docs/SNAPSHOT.md "Texts read from their files").
        case file(FileText)
    }

    private let storage: Storage

    public init(_ bytes: [UInt8]) { storage = .owned(bytes) }

    /// `count` bytes at `offset` of a mapped file.
    init(mapped file: MappedFile, offset: Int, count: Int) {
        storage = .mapped(file, count == 0 ? nil : file.base.map { $0 + offset }, count)
    }

    /// The text of a file that is exactly the file's bytes, read when first needed.
    init(file: FileText) { storage = .file(file) }

    /// Whether the bytes are read in place from a snapshot (else made by the reader).
    public var isMapped: Bool {
        if case .mapped = storage { return true }
        return false
    }

    /// Whether the bytes are read from the bulletin file itself when first needed.
    public var isReadFromFile: Bool {
        if case .file = storage { return true }
        return false
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public var count: Int {
        switch storage {
        case .owned(let bytes): return bytes.count
        case .mapped(_, _, let n): return n
        case .file(let file): return file.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(position: Int) -> UInt8 {
        switch storage {
        case .owned(let bytes): return bytes[position]
        case .mapped(_, let start, let n):
            precondition(position >= 0 && position < n, "index out of range")
            return start![position]
        case .file(let file):
            precondition(position >= 0 && position < file.count, "index out of range")
            return file.bytes[position]
        }
    }

    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .owned(let bytes):
            // Array's own method rethrows untyped; the pointer stays valid while `bytes` lives.
            var result: Result<R, E>!
            bytes.withUnsafeBufferPointer { p in
                do throws(E) { result = .success(try body(p)) } catch { result = .failure(error) }
            }
            return try result.get()
        case .mapped(let file, let start, let n):
            return try withExtendedLifetime(file) { () throws(E) -> R in
                try body(UnsafeBufferPointer(start: start, count: n))
            }
        case .file(let file):
            return try withExtendedLifetime(file) { () throws(E) -> R in
                try body(UnsafeBufferPointer(start: file.count == 0 ? nil : file.bytes, count: file.count))
            }
        }
    }

    /// The bytes as an array: the reader's own array, or a copy of the mapped bytes (for code
    /// that keys tables by `ArraySlice`s of the text while it works on one issue).
    public var array: [UInt8] {
        switch storage {
        case .owned(let bytes): return bytes
        case .mapped, .file: return withUnsafeBufferPointer { Array($0) }
        }
    }

    public static func == (a: IssueText, b: IssueText) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { p in
            b.withUnsafeBufferPointer { q in p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 }
        }
    }

    public static func == (a: IssueText, b: [UInt8]) -> Bool { a == IssueText(b) }
    public static func == (a: [UInt8], b: IssueText) -> Bool { IssueText(a) == b }
}

/// A file mapped read-only into memory for as long as this object lives.
public final class MappedFile: @unchecked Sendable {
    /// nil for an empty file (nothing to map).
    let base: UnsafePointer<UInt8>?
    public let count: Int

    /// Maps `fd` (its first `count` bytes); nil when mmap refuses.
    init?(fd: Int32, count: Int) {
        self.count = count
        guard count > 0 else { base = nil; return }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        base = UnsafePointer(p.assumingMemoryBound(to: UInt8.self))
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

/// The text of a bulletin file kept in a snapshot as "the file's bytes" (a clean UTF-8 `.txt`
/// that the reader used as it was): read with read(2) — not mapped: a file cut short later
/// must not take the program down (SIGBUS) — the first time any of it is needed. The file is
/// then checked against the stamp the snapshot was trusted for; if it changed since, the
/// bytes are cut or padded (with spaces) to the size every range was checked against, so
/// nothing reads outside the text, and the change is reported once (`FileText.takeReports`).
public final class FileText: @unchecked Sendable {
    let path: [UInt8]
    let displayPath: String
    let stamp: FileStamp
    let count: Int
    /// The bytes once read (`count` of them, never freed before deinit); nil before.
    private let loaded = Atomic<UnsafeMutablePointer<UInt8>?>(nil)
    private let reading = Mutex<Void>(())
    /// Whether the file had changed when its text was read (the bytes are then not its text).
    private let changed = Atomic<Bool>(false)

    /// What changed files said when their texts were read: taken by the program and shown
    /// as warnings after the statement that read them.
    private static let reports = Mutex<[String]>([])

    init(path: [UInt8], displayPath: String, stamp: FileStamp, count: Int) {
        self.path = path
        self.displayPath = displayPath
        self.stamp = stamp
        self.count = count
    }

    deinit { loaded.load(ordering: .acquiring)?.deallocate() }

    /// The `count` bytes of the text, read from the file the first time.
    var bytes: UnsafeMutablePointer<UInt8> {
        if let p = loaded.load(ordering: .acquiring) { return p }
        return reading.withLock { _ in
            if let p = loaded.load(ordering: .acquiring) { return p }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
            if let problem = read(into: p) {
                changed.store(true, ordering: .relaxed)
                Self.replaceIllFormed(p, count)
                Self.reports.withLock { $0.append("\(displayPath) changed after it was loaded (\(problem)); its text is read as it is now, cut or padded to \(count) bytes: reload the corpus") }
            }
            loaded.store(p, ordering: .releasing)
            return p
        }
    }

    /// Whether the text has been read: true once `bytes` has been asked for.
    var isRead: Bool { loaded.load(ordering: .acquiring) != nil }

    /// Whether the text, once read, is the file's as the snapshot knew it (not cut, padded or
    /// repaired because the file had changed).
    var isAsKept: Bool { isRead && !changed.load(ordering: .relaxed) }

    /// Fills `p` with the file's first `count` bytes (spaces after its end); what did not
    /// match the stamp, or nil.
    private func read(into p: UnsafeMutablePointer<UInt8>) -> String? {
        var filled = 0
        var problem: String?
        let fd = FileReader.withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        if fd < 0 {
            problem = "cannot open it: " + errnoText()
        } else {
            defer { close(fd) }
            // One look at the stamp, after the read: a change before or during it shows there.
            while filled < count {
                let n = Glibc.read(fd, p + filled, count - filled)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { problem = "cannot read it: " + errnoText(); break }
                if n == 0 { break }
                filled += n
            }
            var after = stat()
            if problem == nil, fstat(fd, &after) != 0 || FileStamp(after) != stamp { problem = "its size or times differ" }
        }
        if filled < count {
            (p + filled).initialize(repeating: 0x20, count: count - filled)
            problem = problem ?? "it is shorter"
        }
        return problem
    }

    /// Each ill-formed UTF-8 sequence of a changed file's bytes becomes `?`s of its length:
    /// what the snapshot's ranges point into stays where it was, and no later code meets bytes
    /// that are not UTF-8 (the cut or the new content may split or break a character).
    static func replaceIllFormed(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) {
        var at = 0
        while at < count {
            var bad = 0, change = 0
            let end = at + jb_utf8_find_invalid_noting(p + at, count - at, &bad, &change)
            guard end < count else { break }
            let n = min(max(bad, 1), count - end)
            (p + end).update(repeating: 0x3F, count: n)
            at = end + n
        }
    }

    /// The reports of changed files since the last call, in the order they were found.
    public static func takeReports() -> [String] {
        reports.withLock { r in
            defer { r.removeAll() }
            return r
        }
    }
}
