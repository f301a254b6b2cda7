@preconcurrency import Glibc

/// The shell's history file, shared by every shell with the same HOME.
///
/// Each statement is appended as one line under an exclusive `flock`, as psql appends only its
/// new lines: two shells running at once both keep their entries (saving the whole history,
/// as libedit's `H_SAVE` does, kept only the last writer's). The format is libedit's
/// (`_HiStOrY_V2_`, then one entry a line with white space, backslash and control bytes as
/// `\ooo` octal), so files written before still load. Entries are kept whole: a newline, a
/// NUL or bytes that are not UTF-8 are escaped or shown with U+FFFD, never cut or dropped.
struct HistoryFile {
    /// Where the history lives.
    let path: String
    /// How many entries the file keeps; it is cut back to this when it holds twice as many.
    let limit: Int

    static let cookie = "_HiStOrY_V2_"

    /// The entries in the file, oldest first; nil when it exists but cannot be read.
    func load() -> [String]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return errno == ENOENT ? [] : nil }
        defer { close(fd) }
        guard flock(fd, LOCK_SH) == 0 || errno == ENOLCK, let lines = Self.lines(fd) else { return nil }
        return lines.suffix(limit).map(Self.decode)
    }

    /// The encoded entries of an open history file (after the cookie line); nil when it
    /// cannot be read.
    static func lines(_ fd: Int32) -> [[UInt8]]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        var lines = bytes.split(separator: 0x0A).map(Array.init)
        if let first = lines.first, first.elementsEqual(cookie.utf8) { lines.removeFirst() }
        return lines
    }

    /// Appends one entry; false when the file cannot be written.
    func append(_ entry: String) -> Bool {
        // A file cut back by another shell is renamed into place: reopen until the file
        // locked is the one at `path`.
        for _ in 0..<5 {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            guard flock(fd, LOCK_EX) == 0 || errno == ENOLCK else { return false }
            var held = stat(), named = stat()
            guard fstat(fd, &held) == 0 else { return false }
            if stat(path, &named) != 0 || named.st_ino != held.st_ino || named.st_dev != held.st_dev { continue }
            var line = held.st_size == 0 ? Array((Self.cookie + "\n").utf8) : []
            line += Self.encode(entry) + [0x0A]
            guard writeAll(fd, line) else { return false }
            if Int(held.st_size) > limit * 2 * 64 { trim(fd) }
            return true
        }
        return false
    }

    /// Cuts the file back to its last `limit` entries when it holds more than twice that,
    /// through a temporary file renamed into place (the lock is held meanwhile).
    private func trim(_ fd: Int32) {
        guard let entries = load(lockedBy: fd), entries.count > limit * 2 else { return }
        var text = Array((Self.cookie + "\n").utf8)
        for entry in entries.suffix(limit) { text += entry + [0x0A] }
        let temporary = path + ".jianbao-\(getpid())"
        let out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { return }
        let written = writeAll(out, text) && fsync(out) == 0
        close(out)
        if !written || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// The encoded lines of the file while it is locked (not decoded: they are written back).
    private func load(lockedBy fd: Int32) -> [[UInt8]]? {
        let reader = open(path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return nil }
        defer { close(reader) }
        return Self.lines(reader)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    /// One entry as a line: bytes up to space, DEL and backslash as `\ooo` / `\\`.
    static func encode(_ entry: String) -> [UInt8] {
        var out: [UInt8] = []
        for byte in entry.utf8 {
            if byte == UInt8(ascii: "\\") {
                out += [byte, byte]
            } else if byte <= 0x20 || byte == 0x7F {
                out += Array(("\\" + String(byte, radix: 8).leftPadded(to: 3)).utf8)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    /// A line back to its entry: `\ooo`, `\\`, and libedit's `\^X` and `\M-X`; bytes that are
    /// not UTF-8 become U+FFFD and a NUL becomes `␀`, so nothing is cut.
    static func decode(_ line: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        func isOctal(_ k: Int) -> Bool { k < line.count && line[k] >= 0x30 && line[k] <= 0x37 }
        while i < line.count {
            let b = line[i]
            guard b == UInt8(ascii: "\\"), i + 1 < line.count else { out.append(b); i += 1; continue }
            let next = line[i + 1]
            if isOctal(i + 1), isOctal(i + 2), isOctal(i + 3) {
                out.append(UInt8(truncatingIfNeeded: Int(line[i + 1] - 0x30) * 64 + Int(line[i + 2] - 0x30) * 8 + Int(line[i + 3] - 0x30)))
                i += 4
            } else if next == UInt8(ascii: "^"), i + 2 < line.count {
                out.append(line[i + 2] == UInt8(ascii: "?") ? 0x7F : line[i + 2] & 0x1F)
                i += 3
            } else if next == UInt8(ascii: "M"), i + 3 < line.count, line[i + 2] == UInt8(ascii: "-") {
                out.append(line[i + 3] | 0x80)
                i += 4
            } else {
                out.append(next)
                i += 2
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        return text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{2400}") : text
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    /// Every `target` replaced (the Foundation method, which this module does not import).
    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
