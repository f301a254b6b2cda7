#if canImport(Glibc)
import Glibc
#endif

/// One file's entry in a snapshot to be written: its record, and its issue, whose text the
/// snapshot keeps unless it is the file's bytes.
struct SnapshotEntry: Sendable {
    var issue: Issue?
    /// The issue's text is exactly the file's bytes (clean UTF-8 used as read): the snapshot
    /// keeps no copy of it, and a later run reads it from the file when it is needed.
    var textIsFile = false
    var record: SnapshotRecord
}

/// One file's record in a snapshot's index (docs/SNAPSHOT.md "Layout"): the file's path and
/// stamp, and what reading it produced (the issue's fields, header ranges, sections, articles
/// and blocks, the diagnostics), self-contained — every offset in it is from its own start —
/// and with its own checksum.
///
/// A record is made by the thread that has just read the file, while the issue's arrays are
/// still in that core's cache; the writer then only puts the records into the file one after
/// another, with no pass of its own over ten thousand issues (that pass, and the memory it
/// filled, were most of what writing a snapshot added to a first run).
struct SnapshotRecord: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// What keeps `bytes` alive: the record's own memory, or the snapshot it was read from;
    /// nil for an issue that is not kept.
    let owner: AnyObject?
    let checksum: UInt64

    var count: Int { bytes.count }

    /// Whether the issue can be kept: every block line fits beside its kind
    /// (`SnapshotFormat.blockLineLimit`), and its strings take less than 2 GiB.
    var fits: Bool { owner != nil }

    /// A record as a snapshot holds it (its checksum checked): the snapshot keeps it alive.
    init(bytes: UnsafeRawBufferPointer, in snapshot: SnapshotReader, checksum: UInt64) {
        self.bytes = bytes
        owner = snapshot
        self.checksum = checksum
    }

    /// Memory of a record made here, given back with the last copy of it.
    private final class Memory {
        let base: UnsafeMutableRawPointer
        init?(_ count: Int) {
            guard let p = malloc(count) else { return nil }
            base = p
        }
        deinit { free(base) }
    }

    /// The record of a file read with `stamp`, with what reading it produced.
    init(pathBytes: [UInt8], stamp: FileStamp, forcedEncoding: String, issue: Issue?, diagnostics: [Diagnostic]) {
        let fieldCount = SnapshotFormat.recordFields
        var stringBytes = pathBytes.count + forcedEncoding.utf8.count
        var ints = diagnostics.count * SnapshotFormat.diagnosticFields
        for d in diagnostics { stringBytes += d.file.utf8.count + d.message.utf8.count }
        if let issue {
            stringBytes += issue.id.utf8.count + issue.path.utf8.count + (issue.encoding?.utf8.count ?? 0) + issue.format.utf8.count
            ints += issue.header.count * SnapshotFormat.rangeFields + issue.sections.count * SnapshotFormat.sectionFields
                + issue.articles.count * SnapshotFormat.articleFields + issue.blocks.count * SnapshotFormat.blockFields
        }
        // A text shorter than the limit has fewer lines than that: only longer ones are looked at.
        let linesFit = issue.map { issue in
            issue.text.count < Int(SnapshotFormat.blockLineLimit)
                || issue.blocks.allSatisfy { $0.line >= 0 && $0.line < SnapshotFormat.blockLineLimit }
        } ?? true
        let intsAt = fieldCount * 8 + SnapshotFormat.aligned(stringBytes, 4)
        let count = SnapshotFormat.aligned(intsAt + ints * 4, 8)
        guard linesFit, stringBytes < Int(Int32.max), let memory = Memory(count) else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            owner = nil
            checksum = 0
            return
        }
        let base = memory.base
        // Padding is part of what the checksum covers: zeroed, as every byte is written.
        (base + fieldCount * 8 + stringBytes).initializeMemory(as: UInt8.self, repeating: 0, count: intsAt - fieldCount * 8 - stringBytes)
        (base + intsAt + ints * 4).initializeMemory(as: UInt8.self, repeating: 0, count: count - intsAt - ints * 4)
        let f = base.bindMemory(to: Int64.self, capacity: fieldCount)
        f.initialize(repeating: -1, count: fieldCount)
        let strings = (base + fieldCount * 8).bindMemory(to: UInt8.self, capacity: stringBytes)
        var s = 0
        /// (offset, length) of `bytes`, copied to the record's strings.
        func string(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int64, Int64) {
            if let from = bytes.baseAddress { (strings + s).initialize(from: from, count: bytes.count) }
            defer { s += bytes.count }
            return (Int64(s), Int64(bytes.count))
        }
        func string(_ text: String) -> (Int64, Int64) {
            if let done = text.utf8.withContiguousStorageIfAvailable(string) { return done }
            return Array(text.utf8).withUnsafeBufferPointer(string)
        }
        (f[0], f[1]) = pathBytes.withUnsafeBufferPointer(string)
        (f[2], f[3], f[4], f[5], f[6]) = (stamp.size, stamp.mtime, stamp.mtimeNanoseconds, stamp.ctime, stamp.ctimeNanoseconds)
        (f[7], f[8]) = (Int64(bitPattern: stamp.device), Int64(bitPattern: stamp.inode))
        (f[9], f[10]) = string(forcedEncoding)
        f[11] = Int64(diagnostics.count)
        f[31] = Int64(stringBytes)
        var p = (base + intsAt).bindMemory(to: Int32.self, capacity: ints)
        for diagnostic in diagnostics {
            let (fo, fl) = string(diagnostic.file)
            let (mo, ml) = string(diagnostic.message)
            let severity: Int32 = switch diagnostic.severity { case .note: 0; case .warning: 1; case .error: 2 }
            (p[0], p[1], p[2]) = (severity, Int32(fo), Int32(fl))
            (p[3], p[4]) = (Int32(clamping: diagnostic.line ?? -1), Int32(clamping: diagnostic.column ?? -1))
            (p[5], p[6]) = (Int32(mo), Int32(ml))
            p += SnapshotFormat.diagnosticFields
        }
        if let issue {
            f[12] = 1
            (f[13], f[14]) = string(issue.id)
            (f[15], f[16]) = string(issue.path)
            f[17] = Int64(issue.text.count)
            if let date = issue.date {
                (f[18], f[19], f[20]) = (Int64(date.year), Int64(date.month ?? -1), Int64(date.day ?? -1))
            } else {
                f[18] = Int64.min
            }
            if let number = issue.number { (f[21], f[22]) = (1, Int64(number)) } else { f[21] = 0 }
            if let encoding = issue.encoding { (f[23], f[24]) = string(encoding) }
            (f[25], f[26]) = string(issue.format)
            (f[27], f[28], f[29], f[30]) = (Int64(issue.header.count), Int64(issue.sections.count),
                                            Int64(issue.articles.count), Int64(issue.blocks.count))
            for range in issue.header {
                (p[0], p[1]) = (range.start, range.end)
                p += SnapshotFormat.rangeFields
            }
            for section in issue.sections {
                (p[0], p[1], p[2]) = (section.name.start, section.name.end, section.ordinal)
                (p[3], p[4], p[5]) = (section.line, section.articles.lowerBound, section.articles.upperBound)
                p += SnapshotFormat.sectionFields
            }
            for article in issue.articles {
                (p[0], p[1], p[2]) = (article.section, article.blocks.lowerBound, article.blocks.upperBound)
                (p[3], p[4], p[5]) = (article.titleCount, article.paragraphCount, article.subheadingCount)
                (p[6], p[7], p[8]) = (article.source?.start ?? -1, article.source?.end ?? -1, article.line)
                p += SnapshotFormat.articleFields
            }
            for block in issue.blocks {
                (p[0], p[1], p[2]) = (block.range.start, block.range.end, block.line << 2 | Int32(block.kind.rawValue))
                p += SnapshotFormat.blockFields
            }
        } else {
            f[12] = 0
            (f[27], f[28], f[29], f[30]) = (0, 0, 0, 0)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: count)
        owner = memory
        checksum = SnapshotFormat.checksum(bytes)
    }
}

/// The binary layout of a snapshot file (docs/SNAPSHOT.md "Layout"): a 64-byte header, the
/// texts of all issues one after another, then the index: its head (counts, a table of the
/// files' records, the program version and root) and the records. Integers are little-endian
/// (the machine's). The head and every record are checksummed; the texts are not (that would
/// read every page of them), but every range is checked against the text it points into
/// before use.
enum SnapshotFormat {
    static let magic: [UInt8] = Array("JBSNAP\r\n".utf8)
    /// Bumped whenever the layout or what the reader produces changes meaning.
    static let formatVersion: UInt32 = 7
    static let headerSize = 64
    /// Int64 counts at the start of the index: entries, generation (random, new with every
    /// write: what files kept beside it refer to), bytes of the version and of the root.
    static let countFields = 4
    /// Int64 fields of an entry in the table: where its record starts (from the index's
    /// start), its length, its checksum, and where its text starts among the texts (−1: the
    /// text is its file's bytes, not kept).
    static let tableFields = 4
    /// Int64 fields at the start of a record.
    static let recordFields = 32
    /// Int32 fields per diagnostic, header range, section, article and block.
    static let diagnosticFields = 7, rangeFields = 2, sectionFields = 6, articleFields = 9, blockFields = 3
    /// A block's line and kind share one Int32: line × 4 + kind (Block.Kind has three cases).
    /// An issue with a block on line 2^29 or later (a file of over 512 MB) is not kept.
    static let blockLineLimit: Int32 = 1 << 29

    /// `count` rounded up to a multiple of `alignment` (a power of two).
    static func aligned(_ count: Int, _ alignment: Int) -> Int { (count + alignment - 1) & ~(alignment - 1) }

    /// Bytes of the index's head: counts, table, version and root, 8-aligned.
    static func headLength(entries: Int, stringBytes: Int) -> Int {
        aligned((countFields + entries * tableFields) * 8 + stringBytes, 8)
    }

    /// The header of a snapshot whose texts (from `headerSize`) take `textLength` bytes and
    /// whose index of `indexLength` bytes, its head with that checksum, starts at `indexOffset`.
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
/// Everything is laid out before a byte is written: the texts kept, the head (whose table says
/// where each record and text goes) and the records, made by the loading threads. Then the
/// whole file goes out with writev from where its parts already are — the header and head
/// made here, the texts in the reader's arrays or an older snapshot's mapping, the records in
/// their own memory — with no copy through a buffer.
enum SnapshotWriter {
    /// Writes `entries` (with `root` and `version` in the index) to `fd`; false on a failed write.
    static func write(_ entries: [SnapshotEntry], root: String, version: String, generation: UInt64, to fd: Int32) -> Bool {
        // An issue whose record could not be made (a block line that does not fit beside its
        // kind): that file is read each time instead.
        let entries = entries.allSatisfy(\.record.fits) ? entries : entries.filter(\.record.fits)
        let versionBytes = Array(SnapshotFormat.programVersion(version).utf8), rootBytes = Array(root.utf8)
        let headLength = SnapshotFormat.headLength(entries: entries.count, stringBytes: versionBytes.count + rootBytes.count)
        var head = [UInt8](repeating: 0, count: headLength)
        // The texts go first, each where the table says; a text that is its file's bytes is not
        // kept (docs/SNAPSHOT.md "Texts read from their files"). The entry's issue keeps its
        // text alive until the write is done.
        var texts: [iovec] = []
        var records: [iovec] = []
        records.reserveCapacity(entries.count)
        var textLength = 0, indexLength = headLength
        head.withUnsafeMutableBytes { h in
            let counts = [Int64(entries.count), Int64(bitPattern: generation), Int64(versionBytes.count), Int64(rootBytes.count)]
            counts.withUnsafeBytes { h.copyMemory(from: $0) }
            let table = (h.baseAddress! + SnapshotFormat.countFields * 8).bindMemory(to: Int64.self, capacity: entries.count * SnapshotFormat.tableFields)
            for (k, entry) in entries.enumerated() {
                let t = table + k * SnapshotFormat.tableFields
                let record = entry.record
                (t[0], t[1], t[2]) = (Int64(indexLength), Int64(record.count), Int64(bitPattern: record.checksum))
                records.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: record.bytes.baseAddress!), iov_len: record.count))
                indexLength += record.count
                guard !entry.textIsFile, let issue = entry.issue else {
                    t[3] = entry.textIsFile ? -1 : Int64(textLength)
                    continue
                }
                t[3] = Int64(textLength)
                guard issue.text.count > 0 else { continue }
                let base = issue.text.withUnsafeBufferPointer { $0.baseAddress! }
                texts.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: issue.text.count))
                textLength += issue.text.count
            }
            let strings = h.baseAddress! + (SnapshotFormat.countFields + entries.count * SnapshotFormat.tableFields) * 8
            strings.copyMemory(from: versionBytes, byteCount: versionBytes.count)
            (strings + versionBytes.count).copyMemory(from: rootBytes, byteCount: rootBytes.count)
        }
        // The index starts 8-aligned.
        let pad = (8 - (SnapshotFormat.headerSize + textLength) % 8) % 8
        let header = SnapshotFormat.header(textLength: textLength, indexOffset: SnapshotFormat.headerSize + textLength + pad,
                                           indexLength: indexLength, checksum: head.withUnsafeBytes(SnapshotFormat.checksum))
        let padding = [UInt8](repeating: 0, count: 8)
        return withExtendedLifetime(entries) {
            header.withUnsafeBytes { hd in
                padding.withUnsafeBytes { pd in
                    head.withUnsafeBytes { ix in
                        func vector(_ p: UnsafeRawBufferPointer, _ count: Int) -> iovec {
                            iovec(iov_base: UnsafeMutableRawPointer(mutating: p.baseAddress!), iov_len: count)
                        }
                        var vectors = [vector(hd, hd.count)] + texts + [vector(pd, pad), vector(ix, ix.count)] + records
                        return writeAll(fd, &vectors)
                    }
                }
            }
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

/// Where the parts of a snapshot file are, from its header and the counts at the start of
/// its index, each checked against the file's length — none of it covered by a checksum yet:
/// what `SnapshotReader` maps (and then checks the head's checksum) and `SnapshotSeal` seals.
struct SnapshotLayout {
    let textStart: Int, textLength: Int, indexOffset: Int, indexLength: Int
    let entryCount: Int, generation: UInt64, versionBytes: Int, rootBytes: Int, headLength: Int

    init(_ all: UnsafeRawBufferPointer) throws(SnapshotReader.Failure) {
        guard all.count >= SnapshotFormat.headerSize else { throw .damaged("too short to be a snapshot") }
        guard all.prefix(8).elementsEqual(SnapshotFormat.magic) else { throw .damaged("not a snapshot (bad magic)") }
        func u64(_ at: Int) -> Int {
            let v = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            return v > UInt64(Int.max) ? -1 : Int(v)
        }
        guard UInt32(littleEndian: all.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) == SnapshotFormat.formatVersion else {
            throw .otherVersion
        }
        (indexOffset, indexLength, textStart, textLength) = (u64(16), u64(24), u64(40), u64(48))
        let total = u64(56)
        guard total == all.count else { throw .damaged("cut short (\(all.count) of \(total) bytes)") }
        guard indexOffset >= SnapshotFormat.headerSize, indexLength >= 0, indexOffset % 8 == 0,
              indexOffset <= all.count, indexLength <= all.count - indexOffset,
              // No sum of two header fields: one near Int.max would overflow (a trap)
              // instead of being refused.
              textStart == SnapshotFormat.headerSize, textLength >= 0, textLength <= indexOffset - textStart else {
            throw .damaged("bad header")
        }
        guard indexLength >= SnapshotFormat.countFields * 8 else { throw .damaged("index too short") }
        let index = all.baseAddress! + indexOffset
        func count(_ i: Int) -> Int64 { Int64(littleEndian: index.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
        let (entries, versionBytes, rootBytes) = (count(0), count(2), count(3))
        guard entries >= 0, versionBytes >= 0, rootBytes >= 0, entries <= Int64(indexLength / (SnapshotFormat.tableFields * 8)),
              versionBytes <= Int64(indexLength), rootBytes <= Int64(indexLength) else {
            throw .damaged("bad counts")
        }
        (entryCount, self.versionBytes, self.rootBytes) = (Int(entries), Int(versionBytes), Int(rootBytes))
        generation = UInt64(bitPattern: count(1))
        headLength = SnapshotFormat.headLength(entries: entryCount, stringBytes: self.versionBytes + self.rootBytes)
        guard headLength <= indexLength else { throw .damaged("index too short") }
    }

    /// Where the version and the root start in the index.
    var stringsAt: Int { (SnapshotFormat.countFields + entryCount * SnapshotFormat.tableFields) * 8 }

    /// Where entry `k`'s record lies in the index, when its table entry says a place after
    /// the head, 8-aligned, that holds the record's fields.
    func record(_ k: Int, in index: UnsafeRawPointer) -> Range<Int>? {
        let t = (SnapshotFormat.countFields + k * SnapshotFormat.tableFields) * 8
        let offset = Int64(littleEndian: index.loadUnaligned(fromByteOffset: t, as: Int64.self))
        let length = Int64(littleEndian: index.loadUnaligned(fromByteOffset: t + 8, as: Int64.self))
        guard offset >= Int64(headLength), offset % 8 == 0, length >= Int64(SnapshotFormat.recordFields * 8), length % 8 == 0,
              length <= Int64(indexLength) - offset else { return nil }
        return Int(offset)..<Int(offset + length)
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

    /// What the snapshot says of a file.
    enum Lookup: Equatable {
        /// Its entry, written with the file's stamp now.
        case unchanged(Int)
        /// It has no entry, or one of another stamp: the file is to be read.
        case changed
        /// Its entry is damaged (its record does not match its checksum).
        case damaged
    }

    let file: MappedFile
    let root: String
    let generation: UInt64
    let entryCount: Int
    private let textStart: Int, textLength: Int
    private let indexOffset: Int, indexLength: Int, headLength: Int
    /// The texts this reader made to be read from their files, by entry.
    private var madeFileTexts: [(entry: Int, text: FileText)] = []
    private let index: UnsafeRawPointer
    private let table: UnsafePointer<Int64>
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
        let layout = try SnapshotLayout(all)
        (textStart, textLength, indexOffset, indexLength) = (layout.textStart, layout.textLength, layout.indexOffset, layout.indexLength)
        (entryCount, headLength, generation) = (layout.entryCount, layout.headLength, layout.generation)
        let index = all.baseAddress! + indexOffset
        self.index = index
        guard SnapshotFormat.checksum(UnsafeRawBufferPointer(start: index, count: headLength))
                == UInt64(littleEndian: all.loadUnaligned(fromByteOffset: 32, as: UInt64.self)) else {
            throw Failure.damaged("the index does not match its checksum")
        }
        table = (index + SnapshotFormat.countFields * 8).assumingMemoryBound(to: Int64.self)
        for k in 0..<entryCount {
            guard layout.record(k, in: index) != nil, table[k * SnapshotFormat.tableFields + 3] >= -1 else { throw Failure.damaged("bad table") }
        }
        let strings = index + layout.stringsAt
        guard String(decoding: UnsafeRawBufferPointer(start: strings, count: layout.versionBytes), as: UTF8.self)
                == SnapshotFormat.programVersion(version) else {
            throw Failure.otherVersion
        }
        root = String(decoding: UnsafeRawBufferPointer(start: strings + layout.versionBytes, count: layout.rootBytes), as: UTF8.self)
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Entry `k`'s record in place: its fields (bounds-checked at opening), strings and Int32s.
    private struct Record {
        let fields: UnsafePointer<Int64>
        let strings: UnsafeBufferPointer<UInt8>
        let ints: UnsafeBufferPointer<Int32>
        subscript(_ i: Int) -> Int64 { fields[i] }
    }

    /// The bytes of entry `k`'s record.
    private func recordBytes(_ k: Int) -> UnsafeRawBufferPointer {
        let t = table + k * SnapshotFormat.tableFields
        return UnsafeRawBufferPointer(start: index + Int(t[0]), count: Int(t[1]))
    }

    /// Whether entry `k`'s record matches its checksum.
    private func holds(_ k: Int) -> Bool {
        SnapshotFormat.checksum(recordBytes(k)) == UInt64(bitPattern: table[k * SnapshotFormat.tableFields + 2])
    }

    /// Entry `k`'s record, its parts checked to lie within it (not its checksum).
    private func record(_ k: Int) -> Record? {
        let bytes = recordBytes(k)
        let fields = bytes.baseAddress!.assumingMemoryBound(to: Int64.self)
        let fieldBytes = SnapshotFormat.recordFields * 8
        let stringBytes = fields[31]
        guard stringBytes >= 0, stringBytes <= Int64(bytes.count - fieldBytes) else { return nil }
        let intsAt = fieldBytes + SnapshotFormat.aligned(Int(stringBytes), 4)
        guard intsAt <= bytes.count else { return nil }
        return Record(fields: fields,
                      strings: UnsafeBufferPointer(start: (bytes.baseAddress! + fieldBytes).assumingMemoryBound(to: UInt8.self), count: Int(stringBytes)),
                      ints: UnsafeBufferPointer(start: (bytes.baseAddress! + intsAt).assumingMemoryBound(to: Int32.self), count: (bytes.count - intsAt) / 4))
    }

    /// Entry `k`'s record as this snapshot holds it, to be written again as it is.
    func keptRecord(_ k: Int) -> SnapshotRecord {
        SnapshotRecord(bytes: recordBytes(k), in: self, checksum: UInt64(bitPattern: table[k * SnapshotFormat.tableFields + 2]))
    }

    /// The path bytes of entry `k`, if they are within its record.
    private func pathBytes(_ k: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let r = record(k) else { return nil }
        return try? Self.string(r, r[0], r[1])
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
    /// index with those entries pointing at them (its records as they are). Its generation
    /// stays: it holds the same corpus. False on a failed write.
    func write(keeping texts: [(entry: Int, text: FileText)], to fd: Int32) -> Bool {
        guard texts.allSatisfy({ $0.entry >= 0 && $0.entry < entryCount && $0.text.isAsKept }) else { return false }
        let all = UnsafeRawBufferPointer(file.bytes)
        var vectors: [iovec] = [iovec(iov_base: UnsafeMutableRawPointer(mutating: all.baseAddress!), iov_len: textStart + textLength)]
        var head = Array(all[indexOffset..<(indexOffset + headLength)])
        var length = textLength
        for (k, text) in texts {
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(text.bytes), iov_len: text.count))
            let at = (SnapshotFormat.countFields + k * SnapshotFormat.tableFields + 3) * 8
            head.withUnsafeMutableBytes { $0.storeBytes(of: Int64(length).littleEndian, toByteOffset: at, as: Int64.self) }
            length += text.count
        }
        let pad = (8 - (textStart + length) % 8) % 8
        let padding = [UInt8](repeating: 0, count: 8)
        let header = SnapshotFormat.header(textLength: length, indexOffset: textStart + length + pad, indexLength: indexLength,
                                           checksum: head.withUnsafeBytes(SnapshotFormat.checksum))
        let records = iovec(iov_base: UnsafeMutableRawPointer(mutating: all.baseAddress! + indexOffset + headLength),
                            iov_len: indexLength - headLength)
        return withExtendedLifetime(texts) {
            padding.withUnsafeBytes { pd in
                head.withUnsafeBytes { ix in
                    vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: pd.baseAddress!), iov_len: pad))
                    vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: ix.baseAddress!), iov_len: ix.count))
                    vectors.append(records)
                    guard writeAll(fd, &vectors) else { return false }
                    return header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) == $0.count }
                }
            }
        }
    }

    /// Whether entry `k`'s text is among the snapshot's texts (not its file's bytes, read
    /// from the file): kept when written, or kept on first use by this run or another.
    func holdsText(_ k: Int) -> Bool {
        k >= 0 && k < entryCount && table[k * SnapshotFormat.tableFields + 3] != -1
    }

    /// How many entries hold an issue (the others are files that yielded none).
    /// (`.cache`: records that do not match their checksum are not counted.)
    var issueCount: Int { (0..<entryCount).count { holds($0) && record($0)?[12] == 1 } }
    var textBytes: Int { textLength }

    /// What the snapshot says of `path` with `stamp` and named encoding: its entry when
    /// written with these (`hint`: where it was in load order).
    func entry(path: [UInt8], stamp: FileStamp, forcedEncoding: String, hint: Int) -> Lookup {
        if stamp.isKnown, let k = find(path, hint: hint), let r = record(k),
           Self.stamp(r) == stamp, let named = try? Self.string(r, r[9], r[10]),
           named.elementsEqual(forcedEncoding.utf8) {
            return .unchanged(k)
        }
        // A record damaged where the path or stamp is looks like a changed file: the record of
        // the file's place in load order is checked, so that damage is still said.
        return hint < entryCount && !holds(hint) ? .damaged : .changed
    }

    /// The stamp an entry was written with.
    func stamp(_ k: Int) -> FileStamp {
        record(k).map(Self.stamp) ?? FileStamp()
    }

    private static func stamp(_ r: Record) -> FileStamp {
        FileStamp.from(size: r[2], mtime: r[3], r[4], ctime: r[5], r[6], device: UInt64(bitPattern: r[7]), inode: UInt64(bitPattern: r[8]))
    }

    /// The bytes of the string at `offset` (of `length`) among the record's strings.
    private static func string(_ r: Record, _ offset: Int64, _ length: Int64) throws(Failure) -> UnsafeBufferPointer<UInt8> {
        guard offset >= 0, length >= 0, offset <= Int64(r.strings.count), length <= Int64(r.strings.count) - offset else {
            throw .damaged("bad string")
        }
        return UnsafeBufferPointer(rebasing: r.strings[Int(offset)..<Int(offset + length)])
    }

    private static func text(_ r: Record, _ offset: Int64, _ length: Int64) throws(Failure) -> String {
        String(decoding: try string(r, offset, length), as: UTF8.self)
    }

    /// The formats and the commonest encodings of issues: read as these constants rather than
    /// decoded anew for every issue.
    static let formats = ["text", "docx", "pdf", "html", "html-articles"].map { (Array($0.utf8), $0) }
    static let encodings = ["UTF-8", "GB18030", "UTF-16LE", "UTF-16BE", "Big5"].map { (Array($0.utf8), $0) }

    /// `text(r, offset, length)`, as one of `known` when it is one.
    private static func text(_ r: Record, _ offset: Int64, _ length: Int64, among known: [([UInt8], String)]) throws(Failure) -> String {
        let bytes = try string(r, offset, length)
        for (candidate, text) in known where candidate.elementsEqual(bytes) { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What reading entry `k`'s file produced: its issue (text mapped) and diagnostics.
    func result(_ k: Int) throws(Failure) -> (Issue?, [Diagnostic]) {
        guard holds(k) else { throw .damaged("an entry does not match its checksum") }
        guard let r = record(k) else { throw .damaged("bad record") }
        // The Int32 parts follow one another: diagnostics, header ranges, sections, articles,
        // blocks; each is taken after the one before, checked to lie within the record.
        var at = 0
        func part(_ count: Int64, _ width: Int) throws(Failure) -> (start: UnsafePointer<Int32>, count: Int) {
            guard count >= 0, count <= Int64((r.ints.count - at) / width) else { throw .damaged("bad record") }
            defer { at += Int(count) * width }
            return (r.ints.baseAddress! + at, Int(count))
        }
        let diagnosticPart = try part(r[11], SnapshotFormat.diagnosticFields)
        var diagnostics: [Diagnostic] = []
        for d in 0..<diagnosticPart.count {
            let p = diagnosticPart.start + d * SnapshotFormat.diagnosticFields
            let severity: Diagnostic.Severity
            switch p[0] {
            case 0: severity = .note
            case 1: severity = .warning
            case 2: severity = .error
            default: throw .damaged("bad severity")
            }
            diagnostics.append(Diagnostic(severity, file: try Self.text(r, Int64(p[1]), Int64(p[2])),
                                          line: p[3] < 0 ? nil : Int(p[3]), column: p[4] < 0 ? nil : Int(p[4]),
                                          try Self.text(r, Int64(p[5]), Int64(p[6]))))
        }
        guard r[12] == 1 else { return (nil, diagnostics) }
        // A text that is the file's bytes is not in the snapshot: its size is the file's.
        let textOffset = table[k * SnapshotFormat.tableFields + 3]
        let textIsFile = textOffset == -1
        let n = Int(clamping: r[17])
        guard r[17] >= 0, textIsFile ? r[17] < Int64(IssueReader.maxFileBytes) : r[17] <= Int64(textLength) - textOffset else {
            throw .damaged("bad text size")
        }
        func range(_ lo: Int32, _ hi: Int32) throws(Failure) -> ByteRange {
            guard lo >= 0, lo <= hi, Int(hi) <= n else { throw .damaged("bad text range") }
            return ByteRange(Int(lo), Int(hi))
        }
        let (rangePart, sectionPart) = (try part(r[27], SnapshotFormat.rangeFields), try part(r[28], SnapshotFormat.sectionFields))
        let (articlePart, blockPart) = (try part(r[29], SnapshotFormat.articleFields), try part(r[30], SnapshotFormat.blockFields))
        let header = try (0..<rangePart.count).map { i throws(Failure) in
            let p = rangePart.start + i * SnapshotFormat.rangeFields
            return try range(p[0], p[1])
        }
        let articleCount = Int32(clamping: articlePart.count), blockCount = Int32(clamping: blockPart.count)
        var sections: [Section] = []
        sections.reserveCapacity(sectionPart.count)
        for i in 0..<sectionPart.count {
            let p = sectionPart.start + i * SnapshotFormat.sectionFields
            guard p[4] >= 0, p[4] <= p[5], p[5] <= articleCount else { throw .damaged("bad section") }
            sections.append(Section(name: try range(p[0], p[1]), ordinal: p[2], line: p[3], articles: p[4]..<p[5]))
        }
        var articles: [Article] = []
        articles.reserveCapacity(articlePart.count)
        for i in 0..<articlePart.count {
            let p = articlePart.start + i * SnapshotFormat.articleFields
            guard p[0] >= 0, Int(p[0]) < sections.count, p[1] >= 0, p[1] <= p[2], p[2] <= blockCount else { throw .damaged("bad article") }
            articles.append(Article(section: p[0], blocks: p[1]..<p[2], titleCount: p[3], paragraphCount: p[4],
                                    subheadingCount: p[5], source: p[6] < 0 ? nil : try range(p[6], p[7]), line: p[8]))
        }
        var bad = false
        let blocks = [Block](unsafeUninitializedCapacity: blockPart.count) { out, filled in
            var p = blockPart.start
            for j in 0..<blockPart.count {
                let lo = p[0], hi = p[1], lineAndKind = p[2]
                guard lo >= 0, lo <= hi, Int(hi) <= n, lineAndKind >= 0,
                      let kind = Block.Kind(rawValue: UInt8(truncatingIfNeeded: lineAndKind & 3)) else {
                    bad = true
                    break
                }
                (out.baseAddress! + j).initialize(to: Block(range: ByteRange(Int(lo), Int(hi)), line: lineAndKind >> 2, kind: kind))
                filled = j + 1
                p += SnapshotFormat.blockFields
            }
        }
        if bad { throw .damaged("bad block") }
        let date: BulletinDate? = r[18] == Int64.min ? nil
            : BulletinDate(year: Int(r[18]), month: r[19] < 0 ? nil : Int(r[19]), day: r[20] < 0 ? nil : Int(r[20]))
        let issuePath = try Self.text(r, r[15], r[16])
        let text: IssueText
        if textIsFile, n > 0 {
            let fileText = FileText(path: Array(try Self.string(r, r[0], r[1])), displayPath: issuePath, stamp: Self.stamp(r), count: n)
            pthread_mutex_lock(&mutex)
            madeFileTexts.append((k, fileText))
            pthread_mutex_unlock(&mutex)
            text = IssueText(file: fileText)
        } else {
            text = IssueText(mapped: file, offset: textStart + (textIsFile ? 0 : Int(textOffset)), count: n)
        }
        let issue = Issue(id: try Self.text(r, r[13], r[14]), path: issuePath,
                          text: text,
                          date: date, number: r[21] == 1 ? Int(r[22]) : nil, header: header,
                          sections: sections, articles: articles, blocks: blocks,
                          encoding: r[23] < 0 ? nil : try Self.text(r, r[23], r[24], among: Self.encodings),
                          format: try Self.text(r, r[25], r[26], among: Self.formats))
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

/// For the fuzzer (Sources/JianbaoFuzzing): a snapshot's bytes with every checksum made to
/// match what they cover — each record's in the table, the head's in the header — so that
/// damage reaches the decoder of records and heads instead of stopping at a checksum.
/// Bytes whose header or table do not say where those are are returned as they are.
@_spi(Fuzzing) public enum SnapshotSeal {
    public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        out.withUnsafeMutableBytes { all in
            guard let layout = try? SnapshotLayout(UnsafeRawBufferPointer(all)) else { return }
            let index = all.baseAddress! + layout.indexOffset
            for k in 0..<layout.entryCount {
                guard let record = layout.record(k, in: index) else { continue }
                let sum = SnapshotFormat.checksum(UnsafeRawBufferPointer(start: index + record.lowerBound, count: record.count))
                index.storeBytes(of: sum.littleEndian, toByteOffset: (SnapshotFormat.countFields + k * SnapshotFormat.tableFields + 2) * 8,
                                 as: UInt64.self)
            }
            let head = SnapshotFormat.checksum(UnsafeRawBufferPointer(start: index, count: layout.headLength))
            all.storeBytes(of: head.littleEndian, toByteOffset: 32, as: UInt64.self)
        }
        return out
    }
}
