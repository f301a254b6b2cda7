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
    }

    private let storage: Storage

    public init(_ bytes: [UInt8]) { storage = .owned(bytes) }

    /// `count` bytes at `offset` of a mapped file.
    init(mapped file: MappedFile, offset: Int, count: Int) {
        storage = .mapped(file, count == 0 ? nil : file.base.map { $0 + offset }, count)
    }

    /// Whether the bytes are read in place from a snapshot (else made by the reader).
    public var isMapped: Bool {
        if case .mapped = storage { return true }
        return false
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public var count: Int {
        switch storage {
        case .owned(let bytes): return bytes.count
        case .mapped(_, _, let n): return n
        }
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(position: Int) -> UInt8 {
        switch storage {
        case .owned(let bytes): return bytes[position]
        case .mapped(_, let start, let n):
            precondition(position >= 0 && position < n, "index out of range")
            return start![position]
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
        }
    }

    /// The bytes as an array: the reader's own array, or a copy of the mapped bytes (for code
    /// that keys tables by `ArraySlice`s of the text while it works on one issue).
    public var array: [UInt8] {
        switch storage {
        case .owned(let bytes): return bytes
        case .mapped: return withUnsafeBufferPointer { Array($0) }
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
