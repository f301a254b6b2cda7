#if canImport(Glibc)
import Glibc
#endif

/// Raised when output cannot go on. Either the reader went away (`| head -1`, EPIPE): the
/// program then stops quietly with status 0 (LANGUAGE.md "The command line"); or a write
/// failed (a full disk, `/dev/full`, a closed descriptor): `failure` says so, naming the
/// target, and the program reports it and ends with status 1 (ROBUSTNESS.md).
public struct OutputClosed: Error {
    /// `write error on out.csv: no space left on device`; nil for a reader that went away.
    public var failure: String?
    /// Not the target's fault: the rows an aligned mode keeps for measuring no longer fit in
    /// memory. The statement fails with `out of memory` and the session goes on.
    public var outOfMemory = false

    public init(failure: String? = nil) { self.failure = failure }
}

/// Buffered output to a file descriptor, or to memory for tests.
///
/// Everything the program prints as results goes through one of these: 64 KiB of buffer and
/// `write(2)` (PLATFORM.md: `print` is several times slower).
public final class Output {
    /// Where bytes go when the buffer is flushed; nil keeps them in `captured`.
    let fd: Int32?
    /// The target as messages name it: `standard output`, a file as the user wrote it.
    public let name: String
    /// The first failed write; later writes fail the same way without trying again.
    public private(set) var failure: OutputClosed?
    var buffer: [UInt8] = []
    /// Everything written, for an in-memory output.
    public private(set) var captured: [UInt8] = []
    static let capacity = 1 << 16

    public init(fd: Int32, name: String = "standard output") {
        self.fd = fd
        self.name = name
        buffer.reserveCapacity(Self.capacity)
    }

    /// Collects output in memory (`text` reads it back).
    public init() {
        fd = nil
        name = "memory"
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Everything written to an in-memory output.
    public var bytes: [UInt8] { captured + buffer }

    public func write(_ text: String) throws(OutputClosed) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.capacity { try flush() }
    }

    public func write(bytes: [UInt8]) throws(OutputClosed) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { try flush() }
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) throws(OutputClosed) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Builds one row in the buffer with a single exclusive access (a class property accessed
    /// per byte range costs a runtime check each time), then flushes if the buffer is full.
    func writeRow(_ build: (inout [UInt8]) -> Void) throws(OutputClosed) {
        build(&buffer)
        if buffer.count >= Self.capacity { try flush() }
    }

    public func flush() throws(OutputClosed) {
        if let failure {
            buffer.removeAll(keepingCapacity: true)
            throw failure
        }
        guard !buffer.isEmpty else { return }
        guard let fd else {
            captured += buffer
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var code: Int32 = 0
        buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                // write(2) returning 0 for a non-empty buffer would loop forever.
                if n == 0 { code = ENOSPC; return }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if code != 0 {
            let closed = code == EPIPE ? OutputClosed() : OutputClosed(failure: "write error on \(name): \(systemError(code))")
            failure = closed
            throw closed
        }
    }
}
