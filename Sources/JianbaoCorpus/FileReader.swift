#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file into one buffer with `read(2)`, sized by `fstat` (PLATFORM.md:
/// one buffer per file, no line-by-line reading).
enum FileReader {
    enum Failure: Error {
        case system(String)
        case notAFile
        case tooLarge(Int)
        /// The buffers for a file this size could not be had (`ulimit -v`, a full machine).
        case outOfMemory(Int)
    }

    static func read(_ path: String) -> Result<[UInt8], Failure> {
        read(bytes: Array(path.utf8)).map(\.bytes)
    }

    /// The file's bytes and its (device, inode).
    static func read(bytes path: [UInt8]) -> Result<(bytes: [UInt8], identity: FileIdentity), Failure> {
        read(stamped: path).map { ($0.bytes, $0.identity) }
    }

    /// The file's bytes, its (device, inode) and its stamp as `fstat` gave it before the read;
    /// the stamp is unknown (`FileStamp()`) when the file changed while it was being read, so
    /// that what was read is never taken for the file as it is now.
    static func read(stamped path: [UInt8]) -> Result<(bytes: [UInt8], identity: FileIdentity, stamp: FileStamp), Failure> {
        // Once memory runs short even a path's bytes cannot be had: stop while some is left.
        guard MemoryHeadroom.available(margin: MemoryHeadroom.loadMargin) else { return .failure(.outOfMemory(0)) }
        // O_NONBLOCK: opening a FIFO named like a bulletin must not wait for a writer.
        let fd = withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return .failure(.system(errnoText())) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.system(errnoText())) }
        guard st.st_mode & S_IFMT == S_IFREG else { return .failure(.notAFile) }
        let expected = Int(st.st_size)
        guard expected < IssueReader.maxFileBytes else { return .failure(.tooLarge(expected)) }
        // Swift traps when an array cannot be allocated. The reader needs the bytes, their
        // repaired copy and the line structure (about three times the file): ask malloc for
        // that first, so that a file too big for the memory left is skipped with a message
        // and the rest loads (issue 18: `ulimit -v` used to abort the whole load).
        guard MemoryHeadroom.available(expected * 3, margin: MemoryHeadroom.loadMargin) else { return .failure(.outOfMemory(expected)) }
        var failure: Failure?
        // One byte of slack tells a file that grew since fstat from one that did not.
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            var filled = 0
            while filled < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .system(errnoText())
                    break
                }
                if n == 0 { break }
                filled += n
            }
            count = filled
        }
        if let failure { return .failure(failure) }
        // A file that grew while being read: read on until the end.
        if bytes.count > expected {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                bytes += chunk[0..<n]
                if bytes.count >= IssueReader.maxFileBytes { return .failure(.tooLarge(bytes.count)) }
            }
        }
        var after = stat()
        // Changed within the last second: a change after this read could keep the same times
        // (they tick coarsely), so the stamp cannot vouch for these bytes later.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let settled = Int64(now.tv_sec) - Int64(st.st_ctim.tv_sec) >= 2 && Int64(now.tv_sec) - Int64(st.st_mtim.tv_sec) >= 2
        let unchanged = settled && fstat(fd, &after) == 0 && FileStamp(after) == FileStamp(st) && bytes.count == expected
        return .success((bytes, FileIdentity(st), unchanged ? FileStamp(st) : FileStamp()))
    }

    /// `body` with the path as a NUL-terminated C string of exactly these bytes.
    static func withCPath<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
