#if canImport(Glibc)
import Glibc
#endif

/// One file's entry in a snapshot: what reading it produced, and the stamp of the file then.
struct SnapshotEntry: Sendable {
    /// The path as the operating system takes it.
    var pathBytes: [UInt8]
    var stamp: FileStamp
    /// The encoding named for the file (`--encoding`), or "" for none.
    var forcedEncoding: String
    var issue: Issue?
    var diagnostics: [Diagnostic]
    /// The issue's text is exactly the file's bytes (clean UTF-8 used as read): the snapshot
    /// keeps no copy of it, and a later run reads it from the file when it is needed.
    var textIsFile = false
    /// What it adds to each part of the index.
    var sizes: SnapshotEntrySizes
}

/// What one file's entry adds to each part of a snapshot's index: found by the thread that
/// has just read the file, while its issue's arrays are still in that core's cache, so that
/// the writer's pass over ten thousand entries reads these few numbers instead of visiting
/// every issue and its arrays once more (that pass was the longest serial step of the write).
struct SnapshotEntrySizes: Sendable {
    /// Its records and string bytes.
    var counts = IndexCounts()
    /// Bytes of text to keep (none for a text that is its file's bytes).
    var text = 0
    /// Whether every block line fits beside its kind (`SnapshotFormat.blockLineLimit`).
    var fits = true

    init(issue: Issue?, diagnostics: [Diagnostic], pathBytes: Int, forcedEncoding: String, textIsFile: Bool) {
        counts.strings = pathBytes + forcedEncoding.utf8.count
        counts.diagnostics = diagnostics.count * SnapshotFormat.diagnosticFields
        for d in diagnostics { counts.strings += d.file.utf8.count + d.message.utf8.count }
        guard let issue else { return }
        counts.strings += issue.id.utf8.count + issue.path.utf8.count + (issue.encoding?.utf8.count ?? 0) + issue.format.utf8.count
        counts.ranges = issue.header.count * SnapshotFormat.rangeFields
        counts.sections = issue.sections.count * SnapshotFormat.sectionFields
        counts.articles = issue.articles.count * SnapshotFormat.articleFields
        counts.blocks = issue.blocks.count * SnapshotFormat.blockFields
        text = textIsFile ? 0 : issue.text.count
        // A text shorter than the limit has fewer lines than that: only longer ones are looked at.
        fits = issue.text.count < Int(SnapshotFormat.blockLineLimit)
            || issue.blocks.allSatisfy { $0.line >= 0 && $0.line < SnapshotFormat.blockLineLimit }
    }
}

/// Int32s of each record part of a snapshot's index and bytes of its string table: what one
/// entry adds, or (summed) where an entry's records start.
struct IndexCounts: Sendable {
    var diagnostics = 0, ranges = 0, sections = 0, articles = 0, blocks = 0, strings = 0

    mutating func add(_ other: IndexCounts) {
        diagnostics += other.diagnostics
        ranges += other.ranges
        sections += other.sections
        articles += other.articles
        blocks += other.blocks
        strings += other.strings
    }
}

/// The binary layout of a snapshot file (docs/SNAPSHOT.md "Layout"): a 64-byte header, the
/// texts of all issues one after another, then the index: fixed records and Int32 arrays,
/// ending with the bytes of every string. Integers are little-endian (the machine's). The
/// index is checksummed; the texts are not (that would read every page of them), but every
/// range is checked against the text it points into before use.
enum SnapshotFormat {
    static let magic: [UInt8] = Array("JBSNAP\r\n".utf8)
    /// Bumped whenever the layout or what the reader produces changes meaning.
    static let formatVersion: UInt32 = 6
    static let headerSize = 64
    /// Int64 fields in an entry record.
    static let entryFields = 40
    /// Int32 fields per header range, section, article, block and diagnostic.
    static let rangeFields = 2, sectionFields = 6, articleFields = 9, blockFields = 3, diagnosticFields = 7
    /// A block's line and kind share one Int32: line × 4 + kind (Block.Kind has three cases).
    /// An issue with a block on line 2^29 or later (a file of over 512 MB) is not kept.
    static let blockLineLimit: Int32 = 1 << 29
    /// Int64 counts at the start of the index: version string, root string, then the number of
    /// entries, Int32s of ranges, sections, articles, blocks and diagnostics, string bytes, and
    /// the generation (random, new with every write: what files kept beside it refer to).
    static let countFields = 12

    /// The header of a snapshot whose texts (from `headerSize`) take `textLength` bytes and
    /// whose index of `indexLength` bytes, with that checksum, starts at `indexOffset`.
    static func header(textLength: Int, indexOffset: Int, indexLength: Int, checksum: UInt64) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: headerSize)
        header.withUnsafeMutableBytes { h in
            for (i, b) in magic.enumerated() { h[i] = b }
            h.storeBytes(of: formatVersion.littleEndian, toByteOffset: 8, as: UInt32.self)
            h.storeBytes(of: UInt32(headerSize).littleEndian, toByteOffset: 12, as: UInt32.self)
            h.storeBytes(of: UInt64(indexOffset).littleEndian, toByteOffset: 16, as: UInt64.self)
            h.storeBytes(of: UInt64(indexLength).littleEndian, toByteOffset: 24, as: UInt64.self)
            h.storeBytes(of: checksum.littleEndian, toByteOffset: 32, as: UInt64.self)
            h.storeBytes(of: UInt64(headerSize).littleEndian, toByteOffset: 40, as: UInt64.self)
            h.storeBytes(of: UInt64(textLength).littleEndian, toByteOffset: 48, as: UInt64.self)
            h.storeBytes(of: UInt64(indexOffset + indexLength).littleEndian, toByteOffset: 56, as: UInt64.self)
        }
        return header
    }

    /// The program's identity: a snapshot of another build is rebuilt, not read.
    static func programVersion(_ version: String) -> String { "jianbao \(version) format \(formatVersion)" }

    /// A fast 64-bit checksum (not cryptographic: it finds damage): four lanes of 8-byte
    /// words, 32 bytes a step, each a multiply-xorshift, so that the four multiplications
    /// overlap instead of waiting on each other (checking the index of a 164 MB corpus was
    /// a twentieth of a warm run); then the lanes, the words left and the tail bytes.
    static func checksum(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0xFF51_AFD7_ED55_8CCD
        let seed: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var a = seed, b = seed &+ 1, c = seed &+ 2, d = seed &+ 3
        let steps = p.count / 32
        var i = 0
        while i < steps {
            let o = i * 32
            a = (a ^ p.loadUnaligned(fromByteOffset: o, as: UInt64.self)) &* k
            b = (b ^ p.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self)) &* k
            c = (c ^ p.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self)) &* k
            d = (d ^ p.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self)) &* k
            a ^= a >> 32
            b ^= b >> 32
            c ^= c >> 32
            d ^= d >> 32
            i += 1
        }
        var h = a
        for lane in [b, c, d] {
            h = (h ^ lane) &* k
            h ^= h >> 32
        }
        var w = steps * 4
        while w < p.count / 8 {
            h = (h ^ p.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)) &* k
            h ^= h >> 32
            w += 1
        }
        var tail: UInt64 = 0
        for t in (p.count / 8 * 8)..<p.count { tail = (tail << 8) | UInt64(p[t]) }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}

/// Writes a snapshot into a file descriptor.
///
/// The index is laid out before it is made: a first pass over the entries sums what each adds
/// to every part (records, string bytes), so every entry knows where its records go. Then the
/// entries are encoded on all cores straight into one buffer the size of the index, in place,
/// and the buffer goes to the file with one write: no array grows, no part is copied.
enum SnapshotWriter {
    /// Where one entry's records start in each part of the index.
    private typealias Place = IndexCounts

    /// Byte offsets of the parts of the index, and its length.
    private struct Parts {
        var entries = 0, ranges = 0, sections = 0, articles = 0, blocks = 0, diagnostics = 0, strings = 0, end = 0

        init(entryCount: Int, sizes total: Place) {
            entries = SnapshotFormat.countFields * 8
            ranges = entries + entryCount * SnapshotFormat.entryFields * 8
            sections = ranges + total.ranges * 4
            articles = sections + total.sections * 4
            blocks = articles + total.articles * 4
            diagnostics = blocks + total.blocks * 4
            strings = diagnostics + total.diagnostics * 4
            end = strings + total.strings
        }
    }

    /// The buffer the index is made in, shared by the threads that fill their own places in it.
    private struct Buffer: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
    }

    /// Writes `entries` (with `root` and `version` in the index) to `fd`; false on a failed write.
    static func write(_ entries: [SnapshotEntry], root: String, version: String, generation: UInt64, to fd: Int32) -> Bool {
        // A block line that does not fit beside its kind: that file is read each time instead.
        let entries = entries.allSatisfy(\.sizes.fits) ? entries : entries.filter(\.sizes.fits)
        var out = BufferedWriter(fd: fd)
        out.append(bytes: [UInt8](repeating: 0, count: SnapshotFormat.headerSize))
        let textStart = SnapshotFormat.headerSize
        var textLength = 0
        var textOffsets: [Int] = []
        textOffsets.reserveCapacity(entries.count)
        guard out.flush() else { return false }
        // One pass over the entries: the texts go from where they are (the reader's arrays, an
        // older snapshot's mapping) to the file with writev, 512 at a time, with no copy
        // through a buffer (a text that is its file's bytes is not kept: docs/SNAPSHOT.md
        // "Texts read from their files"); and each entry's place in every part of the index
        // is summed.
        var texts: [iovec] = []
        let versionBytes = Array(SnapshotFormat.programVersion(version).utf8), rootBytes = Array(root.utf8)
        var places: [Place] = []
        places.reserveCapacity(entries.count)
        var at = Place(strings: versionBytes.count + rootBytes.count)
        for k in entries.indices {
            textOffsets.append(textLength)
            places.append(at)
            let size = entries[k].sizes
            at.add(size.counts)
            // The entry's issue keeps its text alive until the write is done.
            guard size.text > 0, let issue = entries[k].issue else { continue }
            let base = issue.text.withUnsafeBufferPointer { $0.baseAddress! }
            texts.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: issue.text.count))
            textLength += issue.text.count
        }
        guard writeAll(fd, &texts) else { return false }
        // The index starts 8-aligned.
        let pad = (8 - (textStart + textLength) % 8) % 8
        out.append(bytes: [UInt8](repeating: 0, count: pad))
        let indexOffset = textStart + textLength + pad

        // Records and string offsets are Int32: a corpus past that is read each time instead.
        guard [at.ranges, at.sections, at.articles, at.blocks, at.diagnostics, at.strings].allSatisfy({ $0 < Int(Int32.max) }) else {
            errno = EFBIG
            return false
        }
        let parts = Parts(entryCount: entries.count, sizes: at)
        guard let raw = allocateIndex(parts.end) else { return false }
        defer { munmap(raw, parts.end) }
        let index = UnsafeMutableRawBufferPointer(start: raw, count: parts.end)
        let counts: [Int64] = [0, Int64(versionBytes.count), Int64(versionBytes.count), Int64(rootBytes.count), Int64(entries.count),
                               Int64(at.ranges), Int64(at.sections), Int64(at.articles), Int64(at.blocks), Int64(at.diagnostics),
                               Int64(at.strings), Int64(bitPattern: generation)]
        counts.withUnsafeBytes { index.copyMemory(from: $0) }
        (raw + parts.strings).copyMemory(from: versionBytes, byteCount: versionBytes.count)
        (raw + parts.strings + versionBytes.count).copyMemory(from: rootBytes, byteCount: rootBytes.count)
        let buffer = Buffer(base: raw)
        let chunks = Parallel.chunks(entries.count, perCore: 4)
        let placed = places, offsets = textOffsets
        _ = Parallel.map(chunks.count) { c in
            for k in chunks[c] { encode(entries[k], at: placed[k], textOffset: offsets[k], k, parts, buffer) }
        }
        let sum = KeptFile.blockChecksum(UnsafeRawBufferPointer(index))
        out.append(bytes: UnsafeRawBufferPointer(index))
        guard out.flush() else { return false }

        let header = SnapshotFormat.header(textLength: textLength, indexOffset: indexOffset, indexLength: parts.end, checksum: sum)
        return header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) == $0.count }
    }

    /// Memory for an index of `count` bytes (its own mapping, given back whole when written;
    /// its pages are made as the threads that fill it reach them); nil when there is none.
    private static func allocateIndex(_ count: Int) -> UnsafeMutableRawPointer? {
        let p = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else {
            errno = ENOMEM
            return nil
        }
        return p
    }

    /// Encodes entry `k` into its places in the index (docs/SNAPSHOT.md "Layout").
    private static func encode(_ entry: SnapshotEntry, at place: Place, textOffset: Int, _ k: Int, _ parts: Parts, _ buffer: Buffer) {
        let base = buffer.base
        let f = (base + parts.entries).assumingMemoryBound(to: Int64.self) + k * SnapshotFormat.entryFields
        f.initialize(repeating: -1, count: SnapshotFormat.entryFields)
        let strings = (base + parts.strings).assumingMemoryBound(to: UInt8.self)
        var s = place.strings
        /// (offset, length) of `bytes`, copied to the string table.
        func string(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int64, Int64) {
            if let from = bytes.baseAddress { (strings + s).update(from: from, count: bytes.count) }
            defer { s += bytes.count }
            return (Int64(s), Int64(bytes.count))
        }
        func string(_ text: String) -> (Int64, Int64) {
            if let done = text.utf8.withContiguousStorageIfAvailable(string) { return done }
            return Array(text.utf8).withUnsafeBufferPointer(string)
        }
        (f[0], f[1]) = entry.pathBytes.withUnsafeBufferPointer(string)
        let stamp = entry.stamp
        (f[2], f[3], f[4], f[5], f[6]) = (stamp.size, stamp.mtime, stamp.mtimeNanoseconds, stamp.ctime, stamp.ctimeNanoseconds)
        (f[7], f[8]) = (Int64(bitPattern: stamp.device), Int64(bitPattern: stamp.inode))
        (f[9], f[10]) = string(entry.forcedEncoding)
        f[11] = Int64(place.diagnostics / SnapshotFormat.diagnosticFields)
        f[12] = Int64(entry.diagnostics.count)
        var d = (base + parts.diagnostics).assumingMemoryBound(to: Int32.self) + place.diagnostics
        for diagnostic in entry.diagnostics {
            let (fo, fl) = string(diagnostic.file)
            let (mo, ml) = string(diagnostic.message)
            let severity: Int32 = switch diagnostic.severity { case .note: 0; case .warning: 1; case .error: 2 }
            (d[0], d[1], d[2]) = (severity, Int32(fo), Int32(fl))
            (d[3], d[4]) = (Int32(clamping: diagnostic.line ?? -1), Int32(clamping: diagnostic.column ?? -1))
            (d[5], d[6]) = (Int32(mo), Int32(ml))
            d += SnapshotFormat.diagnosticFields
        }
        guard let issue = entry.issue else {
            f[13] = 0
            return
        }
        f[13] = 1
        (f[14], f[15]) = string(issue.id)
        (f[16], f[17]) = string(issue.path)
        (f[18], f[19]) = (Int64(textOffset), Int64(issue.text.count))
        f[37] = entry.textIsFile ? 1 : 0
        if let date = issue.date {
            f[20] = Int64(date.year)
            f[21] = Int64(date.month ?? -1)
            f[22] = Int64(date.day ?? -1)
        } else {
            f[20] = Int64.min
        }
        if let number = issue.number { f[23] = 1; f[24] = Int64(number) } else { f[23] = 0 }
        if let encoding = issue.encoding { (f[25], f[26]) = string(encoding) }
        (f[27], f[28]) = string(issue.format)
        f[29] = Int64(place.ranges / SnapshotFormat.rangeFields)
        f[30] = Int64(issue.header.count)
        var r = (base + parts.ranges).assumingMemoryBound(to: Int32.self) + place.ranges
        for range in issue.header {
            r[0] = range.start
            r[1] = range.end
            r += SnapshotFormat.rangeFields
        }
        f[31] = Int64(place.sections / SnapshotFormat.sectionFields)
        f[32] = Int64(issue.sections.count)
        var p = (base + parts.sections).assumingMemoryBound(to: Int32.self) + place.sections
        for section in issue.sections {
            (p[0], p[1], p[2]) = (section.name.start, section.name.end, section.ordinal)
            (p[3], p[4], p[5]) = (section.line, section.articles.lowerBound, section.articles.upperBound)
            p += SnapshotFormat.sectionFields
        }
        f[33] = Int64(place.articles / SnapshotFormat.articleFields)
        f[34] = Int64(issue.articles.count)
        var a = (base + parts.articles).assumingMemoryBound(to: Int32.self) + place.articles
        for article in issue.articles {
            (a[0], a[1], a[2]) = (article.section, article.blocks.lowerBound, article.blocks.upperBound)
            (a[3], a[4], a[5]) = (article.titleCount, article.paragraphCount, article.subheadingCount)
            (a[6], a[7], a[8]) = (article.source?.start ?? -1, article.source?.end ?? -1, article.line)
            a += SnapshotFormat.articleFields
        }
        f[35] = Int64(place.blocks / SnapshotFormat.blockFields)
        f[36] = Int64(issue.blocks.count)
        var b = (base + parts.blocks).assumingMemoryBound(to: Int32.self) + place.blocks
        for block in issue.blocks {
            (b[0], b[1], b[2]) = (block.range.start, block.range.end, block.line << 2 | Int32(block.kind.rawValue))
            b += SnapshotFormat.blockFields
        }
    }
}

/// Writes every byte the vectors name with writev, 512 vectors a call (the kernel takes at
/// most 1024), going on after short writes.
private func writeAll(_ fd: Int32, _ vectors: inout [iovec]) -> Bool {
    var first = 0
    while first < vectors.count {
        let n = vectors.withUnsafeBufferPointer { writev(fd, $0.baseAddress! + first, Int32(min(512, vectors.count - first))) }
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        var left = n
        while first < vectors.count, left >= vectors[first].iov_len {
            left -= vectors[first].iov_len
            first += 1
        }
        if first < vectors.count, left > 0 {
            vectors[first].iov_base += left
            vectors[first].iov_len -= left
        }
    }
    return true
}

/// Appends to a file through a 1 MiB buffer.
private struct BufferedWriter {
    let fd: Int32
    var buffer: [UInt8] = []
    var failed = false

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(bytes: UnsafeRawBufferPointer) {
        if buffer.count + bytes.count > 1 << 20 { _ = flush() }
        if bytes.count >= 1 << 20 {
            writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    mutating func append(bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(bytes: $0) }
    }

    mutating func flush() -> Bool {
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        pending.withUnsafeBytes { writeAll($0) }
        return !failed
    }

    private mutating func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var done = 0
        while done < bytes.count && !failed {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failed = true
            } else {
                done += n
            }
        }
    }
}

/// A snapshot file, mapped and checked: entries are looked up by path and turned into
/// issues whose text is read in place.
final class SnapshotReader: @unchecked Sendable {
    enum Failure: Error, Equatable {
        /// Not a snapshot, cut short, or its index does not match its checksum.
        case damaged(String)
        /// A snapshot of another build of the program: rebuilt without a word.
        case otherVersion
    }

    let file: MappedFile
    let root: String
    let generation: UInt64
    let entryCount: Int
    private let textStart: Int, textLength: Int
    private let indexOffset: Int, indexLength: Int
    /// The texts this reader made to be read from their files, by entry.
    private var madeFileTexts: [(entry: Int, text: FileText)] = []
    private let entriesAt: UnsafePointer<Int64>
    private let rangesAt: UnsafePointer<Int32>, sectionsAt: UnsafePointer<Int32>, articlesAt: UnsafePointer<Int32>
    private let blocksAt: UnsafePointer<Int32>, diagnosticsAt: UnsafePointer<Int32>
    private let counts: (ranges: Int, sections: Int, articles: Int, blocks: Int, diagnostics: Int)
    private let strings: UnsafeBufferPointer<UInt8>
    /// Entry index by path bytes, made the first time a file is not where it was (entries are
    /// in load order, so a warm load of an unchanged corpus never needs it).
    private var byPathMade: [[UInt8]: Int]?
    private var mutex = pthread_mutex_t()

    /// Maps and checks the snapshot at `path`; nil when there is none.
    static func open(_ path: String, version: String) -> Result<SnapshotReader, Failure>? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return .failure(.damaged("not a regular file")) }
        guard Int(st.st_size) >= SnapshotFormat.headerSize else { return .failure(.damaged("too short to be a snapshot")) }
        // No address space for it (`ulimit -v`): read the files, as without a snapshot.
        guard let file = MappedFile(fd: fd, count: Int(st.st_size)) else { return nil }
        do {
            return .success(try SnapshotReader(file, version: version))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(.damaged("\(error)"))
        }
    }

    private init(_ file: MappedFile, version: String) throws {
        self.file = file
        let all = UnsafeRawBufferPointer(file.bytes)
        guard Array(all[0..<8]) == SnapshotFormat.magic else { throw Failure.damaged("not a snapshot (bad magic)") }
        func u64(_ at: Int) -> Int {
            let v = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            return v > UInt64(Int.max) ? -1 : Int(v)
        }
        let format = UInt32(littleEndian: all.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard format == SnapshotFormat.formatVersion else { throw Failure.otherVersion }
        indexOffset = u64(16)
        indexLength = u64(24)
        let total = u64(56)
        textStart = u64(40)
        textLength = u64(48)
        guard total == all.count else { throw Failure.damaged("cut short (\(all.count) of \(total) bytes)") }
        guard indexOffset >= SnapshotFormat.headerSize, indexLength >= 0, indexOffset % 8 == 0,
              indexOffset <= all.count, indexLength <= all.count - indexOffset,
              textStart == SnapshotFormat.headerSize, textLength >= 0, textStart + textLength <= indexOffset else {
            throw Failure.damaged("bad header")
        }
        let index = UnsafeRawBufferPointer(rebasing: all[indexOffset..<(indexOffset + indexLength)])
        guard KeptFile.blockChecksum(index) == UInt64(littleEndian: all.loadUnaligned(fromByteOffset: 32, as: UInt64.self)) else {
            throw Failure.damaged("the index does not match its checksum")
        }
        let countBytes = SnapshotFormat.countFields * 8
        guard index.count >= countBytes else { throw Failure.damaged("index too short") }
        let c = (0..<SnapshotFormat.countFields).map { Int(Int64(littleEndian: index.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
        guard c[4...10].allSatisfy({ $0 >= 0 && $0 < Int(Int32.max) }) else { throw Failure.damaged("bad counts") }
        let entryCount = c[4]
        var at = countBytes
        let sizes = [entryCount * SnapshotFormat.entryFields * 8, c[5] * 4, c[6] * 4, c[7] * 4, c[8] * 4, c[9] * 4, c[10]]
        guard at + sizes.reduce(0, +) == index.count,
              c[5] % SnapshotFormat.rangeFields == 0, c[6] % SnapshotFormat.sectionFields == 0,
              c[7] % SnapshotFormat.articleFields == 0, c[8] % SnapshotFormat.blockFields == 0,
              c[9] % SnapshotFormat.diagnosticFields == 0 else { throw Failure.damaged("index sizes do not add up") }
        generation = UInt64(bitPattern: Int64(c[11]))
        let base = index.baseAddress!
        entriesAt = (base + at).assumingMemoryBound(to: Int64.self); at += sizes[0]
        rangesAt = (base + at).assumingMemoryBound(to: Int32.self); at += sizes[1]
        sectionsAt = (base + at).assumingMemoryBound(to: Int32.self); at += sizes[2]
        articlesAt = (base + at).assumingMemoryBound(to: Int32.self); at += sizes[3]
        blocksAt = (base + at).assumingMemoryBound(to: Int32.self); at += sizes[4]
        diagnosticsAt = (base + at).assumingMemoryBound(to: Int32.self); at += sizes[5]
        strings = UnsafeBufferPointer(start: (base + at).assumingMemoryBound(to: UInt8.self), count: sizes[6])
        counts = (c[5] / SnapshotFormat.rangeFields, c[6] / SnapshotFormat.sectionFields, c[7] / SnapshotFormat.articleFields,
                  c[8] / SnapshotFormat.blockFields, c[9] / SnapshotFormat.diagnosticFields)
        self.entryCount = entryCount
        func text(_ o: Int, _ l: Int) throws -> [UInt8] {
            guard o >= 0, l >= 0, o <= sizes[6], l <= sizes[6] - o else { throw Failure.damaged("bad string") }
            return Array(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(start: (base + at).assumingMemoryBound(to: UInt8.self), count: sizes[6])[o..<(o + l)]))
        }
        guard String(decoding: try text(c[0], c[1]), as: UTF8.self) == SnapshotFormat.programVersion(version) else {
            throw Failure.otherVersion
        }
        root = String(decoding: try text(c[2], c[3]), as: UTF8.self)
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The path bytes of entry `k`, if they are in the string table.
    private func pathBytes(_ k: Int) -> UnsafeBufferPointer<UInt8>? {
        let f = entriesAt + k * SnapshotFormat.entryFields
        let o = Int(f[0]), l = Int(f[1])
        guard o >= 0, l >= 0, o <= strings.count, l <= strings.count - o else { return nil }
        return UnsafeBufferPointer(rebasing: strings[o..<(o + l)])
    }

    /// The entry of `path`: where it was in load order (`hint`), else looked up.
    private func find(_ path: [UInt8], hint: Int) -> Int? {
        if hint < entryCount, let bytes = pathBytes(hint), bytes.count == path.count,
           path.withUnsafeBufferPointer({ bytes.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return hint
        }
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if byPathMade == nil {
            var made: [[UInt8]: Int] = [:]
            made.reserveCapacity(entryCount)
            for k in 0..<entryCount { if let bytes = pathBytes(k) { made[Array(bytes)] = k } }
            byPathMade = made
        }
        return byPathMade![path]
    }

    /// The texts made so far to be read from their files, by entry, in entry order.
    var fileTexts: [(entry: Int, text: FileText)] {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return madeFileTexts.sorted { $0.entry < $1.entry }
    }

    /// Writes this snapshot again to `fd` with `texts` (each an entry's text read from its
    /// file, read and unchanged) kept in it: the texts already kept, then these, then the
    /// index with those entries pointing at them. Its generation stays: it holds the same
    /// corpus. False on a failed write.
    func write(keeping texts: [(entry: Int, text: FileText)], to fd: Int32) -> Bool {
        guard texts.allSatisfy({ $0.entry >= 0 && $0.entry < entryCount && $0.text.isAsKept }) else { return false }
        let all = UnsafeRawBufferPointer(file.bytes)
        var vectors: [iovec] = [iovec(iov_base: UnsafeMutableRawPointer(mutating: all.baseAddress!), iov_len: textStart + textLength)]
        var index = Array(all[indexOffset..<(indexOffset + indexLength)])
        var length = textLength
        for (k, text) in texts {
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(text.bytes), iov_len: text.count))
            let at = SnapshotFormat.countFields * 8 + (k * SnapshotFormat.entryFields) * 8
            index.withUnsafeMutableBytes { p in
                p.storeBytes(of: Int64(length).littleEndian, toByteOffset: at + 18 * 8, as: Int64.self)
                p.storeBytes(of: Int64(0), toByteOffset: at + 37 * 8, as: Int64.self)
            }
            length += text.count
        }
        let pad = (8 - (textStart + length) % 8) % 8
        let padding = [UInt8](repeating: 0, count: 8)
        let header = SnapshotFormat.header(textLength: length, indexOffset: textStart + length + pad, indexLength: index.count,
                                           checksum: index.withUnsafeBytes { KeptFile.blockChecksum($0) })
        return withExtendedLifetime(texts) {
            padding.withUnsafeBytes { pd in
                index.withUnsafeBytes { ix in
                    vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: pd.baseAddress!), iov_len: pad))
                    vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: ix.baseAddress!), iov_len: ix.count))
                    guard writeAll(fd, &vectors) else { return false }
                    return header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) == $0.count }
                }
            }
        }
    }

    /// How many entries hold an issue (the others are files that yielded none).
    var issueCount: Int { (0..<entryCount).count { entriesAt[$0 * SnapshotFormat.entryFields + 13] == 1 } }
    var textBytes: Int { textLength }

    /// The entry for `path`, when its stamp and named encoding are still those of the file.
    func entry(path: [UInt8], stamp: FileStamp, forcedEncoding: String, hint: Int) -> Int? {
        guard stamp.isKnown, let k = find(path, hint: hint) else { return nil }
        let f = entriesAt + k * SnapshotFormat.entryFields
        let known = FileStamp.from(size: f[2], mtime: f[3], f[4], ctime: f[5], f[6],
                                   device: UInt64(bitPattern: f[7]), inode: UInt64(bitPattern: f[8]))
        guard known == stamp, (try? string(f[9], f[10])) == forcedEncoding else { return nil }
        return k
    }

    /// The stamp an entry was written with.
    func stamp(_ k: Int) -> FileStamp {
        let f = entriesAt + k * SnapshotFormat.entryFields
        return FileStamp.from(size: f[2], mtime: f[3], f[4], ctime: f[5], f[6],
                              device: UInt64(bitPattern: f[7]), inode: UInt64(bitPattern: f[8]))
    }

    private func string(_ offset: Int64, _ length: Int64) throws(Failure) -> String {
        let o = Int(offset), l = Int(length)
        guard o >= 0, l >= 0, o <= strings.count, l <= strings.count - o else { throw .damaged("bad string") }
        return String(decoding: UnsafeBufferPointer(rebasing: strings[o..<(o + l)]), as: UTF8.self)
    }

    /// The formats and the commonest encodings of issues: read as these constants rather than
    /// decoded anew for every issue.
    static let formats = ["text", "docx", "pdf", "html", "html-articles"].map { (Array($0.utf8), $0) }
    static let encodings = ["UTF-8", "GB18030", "UTF-16LE", "UTF-16BE", "Big5"].map { (Array($0.utf8), $0) }

    /// `string(offset, length)`, as one of `known` when it is one.
    private func string(_ offset: Int64, _ length: Int64, among known: [([UInt8], String)]) throws(Failure) -> String {
        let o = Int(offset), l = Int(length)
        if o >= 0, l > 0, o <= strings.count, l <= strings.count - o {
            for (bytes, text) in known where bytes.count == l
                && bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, strings.baseAddress! + o, l) == 0 }) {
                return text
            }
        }
        return try string(offset, length)
    }

    /// Checks that `first..<first+count` lies within `limit` records.
    private func span(_ first: Int64, _ count: Int64, _ limit: Int) throws(Failure) -> Range<Int> {
        guard first >= 0, count >= 0, first <= Int64(limit), count <= Int64(limit) - first else { throw .damaged("bad record span") }
        return Int(first)..<Int(first + count)
    }

    /// What reading entry `k`'s file produced: its issue (text mapped) and diagnostics.
    func result(_ k: Int) throws(Failure) -> (Issue?, [Diagnostic]) {
        let f = entriesAt + k * SnapshotFormat.entryFields
        var diagnostics: [Diagnostic] = []
        for d in try span(f[11], f[12], counts.diagnostics) {
            let r = diagnosticsAt + d * SnapshotFormat.diagnosticFields
            let severity: Diagnostic.Severity
            switch r[0] {
            case 0: severity = .note
            case 1: severity = .warning
            case 2: severity = .error
            default: throw .damaged("bad severity")
            }
            diagnostics.append(Diagnostic(severity, file: try string(Int64(r[1]), Int64(r[2])),
                                          line: r[3] < 0 ? nil : Int(r[3]), column: r[4] < 0 ? nil : Int(r[4]),
                                          try string(Int64(r[5]), Int64(r[6]))))
        }
        guard f[13] == 1 else { return (nil, diagnostics) }
        // A text that is the file's bytes is not in the snapshot: its size is the file's.
        let textIsFile = f[37] == 1
        guard !textIsFile || (f[19] >= 0 && f[19] < Int64(IssueReader.maxFileBytes)) else { throw .damaged("bad text size") }
        let textRange = textIsFile ? 0..<Int(f[19]) : try span(f[18], f[19], textLength)
        let n = textRange.count
        func range(_ lo: Int32, _ hi: Int32) throws(Failure) -> ByteRange {
            guard lo >= 0, lo <= hi, Int(hi) <= n else { throw .damaged("bad text range") }
            return ByteRange(Int(lo), Int(hi))
        }
        let header = try span(f[29], f[30], counts.ranges).map { i throws(Failure) in
            try range(rangesAt[2 * i], rangesAt[2 * i + 1])
        }
        let articleCount = Int32(clamping: f[34]), blockCount = Int32(clamping: f[36])
        var sections: [Section] = []
        let sectionSpan = try span(f[31], f[32], counts.sections)
        sections.reserveCapacity(sectionSpan.count)
        for i in sectionSpan {
            let r = sectionsAt + i * SnapshotFormat.sectionFields
            guard r[4] >= 0, r[4] <= r[5], r[5] <= articleCount else { throw .damaged("bad section") }
            sections.append(Section(name: try range(r[0], r[1]), ordinal: r[2], line: r[3], articles: r[4]..<r[5]))
        }
        var articles: [Article] = []
        let articleSpan = try span(f[33], f[34], counts.articles)
        articles.reserveCapacity(articleSpan.count)
        for i in articleSpan {
            let r = articlesAt + i * SnapshotFormat.articleFields
            guard r[0] >= 0, Int(r[0]) < sections.count, r[1] >= 0, r[1] <= r[2], r[2] <= blockCount else { throw .damaged("bad article") }
            articles.append(Article(section: r[0], blocks: r[1]..<r[2], titleCount: r[3], paragraphCount: r[4],
                                    subheadingCount: r[5], source: r[6] < 0 ? nil : try range(r[6], r[7]), line: r[8]))
        }
        let blockSpan = try span(f[35], f[36], counts.blocks)
        var bad = false
        let blocks = [Block](unsafeUninitializedCapacity: blockSpan.count) { out, filled in
            var r = blocksAt + blockSpan.lowerBound * SnapshotFormat.blockFields
            for j in 0..<blockSpan.count {
                let lo = r[0], hi = r[1], lineAndKind = r[2]
                guard lo >= 0, lo <= hi, Int(hi) <= n, lineAndKind >= 0,
                      let kind = Block.Kind(rawValue: UInt8(truncatingIfNeeded: lineAndKind & 3)) else {
                    bad = true
                    break
                }
                (out.baseAddress! + j).initialize(to: Block(range: ByteRange(Int(lo), Int(hi)), line: lineAndKind >> 2, kind: kind))
                filled = j + 1
                r += SnapshotFormat.blockFields
            }
        }
        if bad { throw .damaged("bad block") }
        let date: BulletinDate? = f[20] == Int64.min ? nil
            : BulletinDate(year: Int(f[20]), month: f[21] < 0 ? nil : Int(f[21]), day: f[22] < 0 ? nil : Int(f[22]))
        let issuePath = try string(f[16], f[17])
        let text: IssueText
        if textIsFile, n > 0, let path = pathBytes(k) {
            let fileText = FileText(path: Array(path), displayPath: issuePath, stamp: stamp(k), count: n)
            pthread_mutex_lock(&mutex)
            madeFileTexts.append((k, fileText))
            pthread_mutex_unlock(&mutex)
            text = IssueText(file: fileText)
        } else {
            if textIsFile && n > 0 { throw .damaged("bad path") }
            text = IssueText(mapped: file, offset: textStart + textRange.lowerBound, count: n)
        }
        let issue = Issue(id: try string(f[14], f[15]), path: issuePath,
                          text: text,
                          date: date, number: f[23] == 1 ? Int(f[24]) : nil, header: header,
                          sections: sections, articles: articles, blocks: blocks,
                          encoding: f[25] < 0 ? nil : try string(f[25], f[26], among: Self.encodings),
                          format: try string(f[27], f[28], among: Self.formats))
        return (issue, diagnostics)
    }
}

extension FileStamp {
    static func from(size: Int64, mtime: Int64, _ mtimeNanoseconds: Int64, ctime: Int64, _ ctimeNanoseconds: Int64,
                     device: UInt64, inode: UInt64) -> FileStamp {
        var s = FileStamp()
        s.size = size
        s.mtime = mtime
        s.mtimeNanoseconds = mtimeNanoseconds
        s.ctime = ctime
        s.ctimeNanoseconds = ctimeNanoseconds
        s.device = device
        s.inode = inode
        return s
    }
}
