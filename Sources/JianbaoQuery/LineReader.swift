#if canImport(Glibc)
import Glibc
#endif

/// Lines from a file descriptor without line editing: scripts (`-f`, `.read`), and standard
/// input when it is not a terminal. Reads 64 KiB at a time and splits on `\n` (PLATFORM.md).
public final class LineReader {
    let fd: Int32
    let ownsDescriptor: Bool
    var buffer: [UInt8] = []
    var start = 0
    /// Where the search for the next newline goes on: a line of megabytes arrives in many
    /// reads, and each byte is looked at once.
    var scanned = 0
    var atEnd = false

    public init(fd: Int32) {
        self.fd = fd
        ownsDescriptor = false
    }

    public init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        ownsDescriptor = true
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// The next line without its newline, or nil at the end of input.
    public func next() -> String? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            scanned -= start
            start = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { atEnd = true } else { buffer += chunk[0..<n] }
        }
    }
}
