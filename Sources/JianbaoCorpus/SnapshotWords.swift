#if canImport(Glibc)
import Glibc
#endif

/// Whole-corpus word statistics: what `freq words` without `where` lists, for every word.
public struct WordStatistics: Sendable, Equatable {
    /// Word texts by id (id 0, the gap marker, is "").
    public var texts: [String]
    /// Occurrences by id in the whole corpus.
    public var counts: [Int]
    /// Articles with the word, by id.
    public var articles: [Int]
    /// Dispersion (DP) by id; nil when fewer than two articles have words.
    public var dp: [Double?]

    public init(texts: [String], counts: [Int], articles: [Int], dp: [Double?]) {
        self.texts = texts
        self.counts = counts
        self.articles = articles
        self.dp = dp
    }
}

/// The word statistics of a snapshotted corpus, kept beside its snapshot once computed
/// (`corpus-<hash>.words`, docs/SNAPSHOT.md "Words"): valid for one snapshot generation, one
/// build, the same user lexicons and the same dictionary.
public struct SnapshotWords: Sendable {
    let cache: SnapshotCache
    let path: String
    let generation: UInt64
    let issueCount: Int

    static let magic: [UInt8] = Array("JBWORD\r\n".utf8)
    static let headerSize = 48

    /// Build, lexicons and the dictionary (its path and stamp).
    func identity() -> UInt64 {
        var text = KeptFile.buildAndLexicons(cache)
        if let dictionary = WordDictionary.locate() {
            text += KeptFile.stampLine(dictionary, path: dictionary) ?? ""
        } else {
            text += "no dictionary\n"
        }
        return KeptFile.hash(text)
    }

    /// The kept statistics, or nil (none, stale or damaged: then they are made again).
    func load() -> WordStatistics? {
        KeptFile.read(path, magic: Self.magic, headerSize: Self.headerSize, generation: generation, identity: identity(),
                      issueCount: issueCount) { _, body in Self.decode(body) }
    }

    /// The statistics in a kept file's body; nil when a count or range does not fit.
    private static func decode(_ body: UnsafeRawBufferPointer) -> WordStatistics? {
        guard body.count >= 8 else { return nil }
        // Body: word count n; n × (count, articles) Int64; n × dp bits (NaN bit pattern for
        // nil); n × (offset, length) Int32; the word bytes.
        let n = Int(body.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        guard n >= 0, n < Int(Int32.max), 8 + n * 32 <= body.count else { return nil }
        let bytesAt = 8 + n * 32
        var stats = WordStatistics(texts: [], counts: [], articles: [], dp: [])
        stats.texts.reserveCapacity(n)
        stats.counts.reserveCapacity(n)
        stats.articles.reserveCapacity(n)
        stats.dp.reserveCapacity(n)
        for k in 0..<n {
            stats.counts.append(Int(body.loadUnaligned(fromByteOffset: 8 + k * 16, as: Int64.self)))
            stats.articles.append(Int(body.loadUnaligned(fromByteOffset: 16 + k * 16, as: Int64.self)))
            let bits = body.loadUnaligned(fromByteOffset: 8 + n * 16 + k * 8, as: UInt64.self)
            stats.dp.append(bits == Self.none ? nil : Double(bitPattern: bits))
            let o = Int(body.loadUnaligned(fromByteOffset: 8 + n * 24 + k * 8, as: Int32.self))
            let l = Int(body.loadUnaligned(fromByteOffset: 12 + n * 24 + k * 8, as: Int32.self))
            guard o >= 0, l >= 0, bytesAt + o + l <= body.count else { return nil }
            stats.texts.append(String(decoding: UnsafeRawBufferPointer(rebasing: body[(bytesAt + o)..<(bytesAt + o + l)]), as: UTF8.self))
        }
        return stats
    }

    /// A NaN with a payload no arithmetic makes: "no DP".
    static let none: UInt64 = 0x7FF8_DEAD_BEEF_0001

    /// Keeps `stats` beside the snapshot (temporary file and rename); a failure is silent.
    func save(_ stats: WordStatistics) {
        let n = stats.texts.count
        guard stats.counts.count == n, stats.articles.count == n, stats.dp.count == n else { return }
        var body: [UInt8] = []
        func put<T>(_ array: [T]) { array.withUnsafeBytes { body.append(contentsOf: $0) } }
        put([Int64(n)])
        var pairs: [Int64] = []
        pairs.reserveCapacity(2 * n)
        for k in 0..<n { pairs += [Int64(stats.counts[k]), Int64(stats.articles[k])] }
        put(pairs)
        put(stats.dp.map { $0.map(\.bitPattern) ?? Self.none })
        var offsets: [Int32] = []
        var bytes: [UInt8] = []
        for text in stats.texts {
            offsets += [Int32(bytes.count), Int32(text.utf8.count)]
            bytes += text.utf8
        }
        put(offsets)
        body += bytes
        KeptFile.write(cache, path, magic: Self.magic, headerSize: Self.headerSize, generation: generation, identity: identity(),
                       issueCount: issueCount, body: body)
    }
}
