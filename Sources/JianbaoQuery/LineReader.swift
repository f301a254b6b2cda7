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

    /// Opens a script; nil with `errno` set when it cannot be read as one (a folder is
    /// EISDIR: read(2) would fail on it and the script would silently be empty).
    public init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        ownsDescriptor = true
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            errno = EISDIR
            return nil
        }
    }

    /// Why reading stopped before the end of the input, when it did (EIO, EISDIR …).
    public private(set) var failure: String?

    deinit { if ownsDescriptor && fd >= 0 { close(fd) } }

    /// A line read: its text, or how long it was when that is over `maxLineBytes`.
    public enum Line {
        case text(String)
        /// A line over the limit, dropped as it was read (memory stays at the limit);
        /// `endless` when it went on past `maxSkipBytes` and reading stopped there
        /// (`/dev/zero`, a binary file read as a script).
        case tooLong(bytes: Int, head: String, endless: Bool)
    }

    /// The longest line kept: the statement limit (ROBUSTNESS.md).
    public var maxLineBytes = Session.maxStatementBytes
    /// How far a line over the limit is skipped in search of its end before the input is
    /// given up.
    public var maxSkipBytes = 64 << 20

    /// The next line without its newline, or nil at the end of input.
    public func next() -> String? {
        while let line = nextLine() {
            if case .text(let text) = line { return text }
        }
        return nil
    }

    /// The next line, or nil at the end of input. Memory stays within the limit and a
    /// 64 KiB chunk however long the line is.
    public func nextLine() -> Line? {
        var skipped = 0
        var head = ""
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: 0x0A) {
                if skipped > 0 {
                    skipped += newline - start
                    start = newline + 1
                    scanned = start
                    return .tooLong(bytes: skipped, head: head, endless: false)
                }
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                scanned = start
                return .text(line)
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count || skipped > 0 else { return nil }
                if skipped > 0 {
                    skipped += buffer.count - start
                    start = buffer.count
                    return .tooLong(bytes: skipped, head: head, endless: false)
                }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return .text(line)
            }
            if buffer.count - start > maxLineBytes || skipped > 0 {
                // The first bytes are kept for the message (its window shows 100 columns).
                if skipped == 0 { head = String(decoding: buffer[start..<start + 400], as: UTF8.self) }
                skipped += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
                if skipped > maxSkipBytes {
                    atEnd = true
                    return .tooLong(bytes: skipped, head: head, endless: true)
                }
            }
            buffer.removeFirst(start)
            scanned -= start
            start = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = systemError() }
            if n <= 0 { atEnd = true } else { buffer += chunk[0..<n] }
        }
    }
}
