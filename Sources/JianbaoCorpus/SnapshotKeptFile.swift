#if canImport(Glibc)
import Glibc
#endif

/// The frame shared by the files kept beside a snapshot (figures, word statistics): an
/// eight-byte magic, then little-endian UInt64s — the snapshot's generation at 8, the
/// identity of what the content depends on at 16, the issue count at 24, the file's size at
/// 32, the body's checksum at 40, the kind's own header words from 48 — then the body.
enum KeptFile {
    /// What every kept file depends on, as text for `hash`: the build, and the user's lexicon
    /// folder with the stamp of each lexicon file in it.
    static func buildAndLexicons(_ cache: SnapshotCache) -> String {
        var text = cache.version + "\n"
        if let folder = Lexicon.userFolder() {
            text += folder + "\n"
            for name in BuiltInLexicons.files.keys.sorted() {
                text += stampLine(name, path: folder + "/" + name) ?? ""
            }
        }
        return text
    }

    /// Calls `read` with the header words (by byte offset) and the body of the file at `path`
    /// when its frame is whole and matches; nil otherwise. The file stays mapped while `read`
    /// runs.
    static func read<T>(_ path: String, magic: [UInt8], headerSize: Int, generation: UInt64, identity: UInt64,
                        issueCount: Int, _ read: (_ word: (Int) -> UInt64, _ body: UnsafeRawBufferPointer) -> T?) -> T? {
        guard let mapped = map(path, magic: magic, headerSize: headerSize, generation: generation, identity: identity,
                               issueCount: issueCount) else { return nil }
        return withExtendedLifetime(mapped.file) { read(mapped.word, mapped.body) }
    }

    /// The file at `path` mapped, its header words (by byte offset) and its body, when its
    /// frame is whole and matches; nil otherwise. The body and the words are valid while the
    /// file is alive: a reader that keeps pointers into it keeps the file.
    /// `checksum` is the kind's (the one it was written with).
    static func map(_ path: String, magic: [UInt8], headerSize: Int, generation: UInt64, identity: UInt64,
                    issueCount: Int, checksum: (UnsafeRawBufferPointer) -> UInt64 = SnapshotFormat.checksum)
        -> (file: MappedFile, word: (Int) -> UInt64, body: UnsafeRawBufferPointer)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) >= headerSize, let file = MappedFile(fd: fd, count: Int(st.st_size)) else { return nil }
        let all = UnsafeRawBufferPointer(file.bytes)
        func word(_ at: Int) -> UInt64 { UInt64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        guard all.prefix(8).elementsEqual(magic), word(8) == generation, word(16) == identity,
              word(24) == UInt64(issueCount), word(32) == UInt64(all.count) else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: all[headerSize...])
        guard checksum(body) == word(40) else { return nil }
        return (file, word, body)
    }

    /// Writes `body` under its frame (temporary file and rename); `extra` are the kind's own
    /// header words from byte 48. A failure is silent: the content is made again next time.
    static func write(_ cache: SnapshotCache, _ path: String, magic: [UInt8], headerSize: Int, generation: UInt64,
                      identity: UInt64, issueCount: Int, extra: [UInt64] = [], body: [UInt8],
                      checksum: (UnsafeRawBufferPointer) -> UInt64 = SnapshotFormat.checksum) {
        var header = [UInt8](repeating: 0, count: headerSize)
        let sum = body.withUnsafeBytes { checksum($0) }
        let words = [generation, identity, UInt64(issueCount), UInt64(headerSize + body.count), sum] + extra
        header.withUnsafeMutableBytes { h in
            for (i, b) in magic.enumerated() { h[i] = b }
            for (k, v) in words.enumerated() { h.storeBytes(of: v.littleEndian, toByteOffset: 8 + 8 * k, as: UInt64.self) }
        }
        _ = cache.replace(path, with: [header, body])
    }

    /// A line naming a file by its stamp (size, times, inode), for an identity; nil when the
    /// file is not there.
    static func stampLine(_ label: String, path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let s = FileStamp(st)
        return "\(label) \(s.size) \(s.mtime).\(s.mtimeNanoseconds) \(s.ctime).\(s.ctimeNanoseconds) \(s.inode)\n"
    }

    /// FNV-1a over the text's bytes: an identity from the lines that make it.
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// A checksum of a large body as fast as memory gives it: 1 MiB blocks, each hashed by
    /// `SnapshotFormat.checksum` (four interleaved lanes), on all cores, then the blocks'
    /// hashes chained in order. For files read whole at every run (the figures, read in place; the
    /// snapshot's index has a checksum per record instead).
    static func blockChecksum(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let block = 1 << 20
        let blocks = (p.count + block - 1) / block
        let base = UInt(bitPattern: p.baseAddress), count = p.count
        let sums = Parallel.map(blocks, parallel: blocks > 4) { b -> UInt64 in
            let start = b * block, end = min(count, start + block)
            return SnapshotFormat.checksum(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base).map { $0 + start }, count: end - start))
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        for sum in sums {
            h = (h ^ sum) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        return h
    }
}
