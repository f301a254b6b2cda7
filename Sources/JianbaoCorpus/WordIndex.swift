#if canImport(Glibc)
import Glibc
#endif

/// The words of every paragraph, segmented once on first use (on all cores) and kept as one
/// id per word: `freq words`, `freq bigrams` and `collocates` count ids and never segment
/// again (docs/WORDS.md). Renewed when more is loaded, since the corpus's source names are
/// part of the lexicon.
public final class WordIndex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var built: WordTable?
    private let issues: [Issue]
    private let names: NameIndex
    /// The lexicon segmentation uses; nil for `Lexicon.current`, read only when words are
    /// first segmented (reading the lexicons is a tenth of a warm `count articles`).
    private let chosenLexicon: Lexicon?
    private var madeVocabulary: SegmentationVocabulary?
    private var segmented = false

    /// Where whole-corpus word statistics are kept beside a snapshot (docs/SNAPSHOT.md).
    private let store: SnapshotWords?
    private var triedKept = false
    private var kept: WordStatistics?
    private var usedKept = false

    init(_ issues: [Issue], names: NameIndex, lexicon: Lexicon? = nil, store: SnapshotWords? = nil) {
        self.issues = issues
        self.names = names
        self.chosenLexicon = lexicon
        self.store = store
        pthread_mutex_init(&mutex, nil)
    }

    /// The statistics a previous run kept for this corpus (`freq words` without `where` reads
    /// them instead of segmenting); nil when there are none. Using them counts as segmenting.
    public var keptStatistics: WordStatistics? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if !triedKept {
            triedKept = true
            kept = store?.load()
        }
        if kept != nil { usedKept = true }
        return kept
    }

    /// Keeps whole-corpus statistics for later runs (when the corpus has a snapshot).
    public func keep(_ statistics: WordStatistics) {
        guard let store else { return }
        pthread_mutex_lock(&mutex)
        let fresh = !usedKept && kept == nil
        kept = statistics
        triedKept = true
        pthread_mutex_unlock(&mutex)
        if fresh { store.save(statistics) }
    }

    /// Whether statistics kept by an earlier run stood in for segmenting (then whatever
    /// would have used the table made on the way, `.export`, makes it).
    public var usedKeptStatistics: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return usedKept
    }

    /// The words segmentation adds to the dictionary: the lexicon's terms and the
    /// organisations the corpus names in its sources. Made on first use (a load that never
    /// asks for words does not pay for it); the caller holds the mutex.
    private var vocabulary: SegmentationVocabulary {
        if let madeVocabulary { return madeVocabulary }
        let made = SegmentationVocabulary(chosenLexicon ?? .current, names: Array(names.sources))
        madeVocabulary = made
        return made
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The table, built on the first call.
    public var table: WordTable { table(stoppingIf: { false })! }

    /// The table, built on the first call unless `stop` says so on the way (Ctrl-C during the
    /// first `freq words` of a large corpus): then nil, and nothing is kept.
    public func table(stoppingIf stop: @escaping @Sendable () -> Bool,
                      progress: (any ProgressReporter)? = nil) -> WordTable? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let built { return built }
        guard let table = WordTable.build(issues, vocabulary, stoppingIf: stop, progress: progress) else { return nil }
        built = table
        return table
    }

    /// The words of `text` as the corpus is segmented (without building the table).
    public func segment(_ text: String) -> [String] { explain(text).map(\.word) }

    /// The words of `text` as the corpus is segmented, with who decided each (`.segment`).
    public func explain(_ text: String) -> [(word: String, source: WordSource)] {
        pthread_mutex_lock(&mutex)
        let vocabulary = self.vocabulary
        segmented = true
        pthread_mutex_unlock(&mutex)
        return Segmenter(vocabulary).explained(text)
    }

    /// Whether `segment` or `explain` has been called.
    public var hasSegmented: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return segmented || usedKept
    }

    /// What to tell the user when jieba's dictionary is not installed (nil when it is).
    public static var missingDictionaryNote: String? {
        guard !WordDictionary.isInstalled else { return nil }
        return "jieba's dictionary was not found (Debian's python3-jieba, or $JIANBAO_DICTIONARY); "
            + "words are cut by ICU and the lexicons, less accurately (docs/WORDS.md)"
    }

    /// Whether the table has been built (for `.timer`-style reports and tests).
    public var isBuilt: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return built != nil
    }
}

/// Word ids of one issue's paragraphs, in text order. Id 0 marks a gap (punctuation or a
/// number between two words); a paragraph's ids never start or end with one.
public struct IssueWords: Sendable {
    public let tokens: [UInt32]
    /// Where each block's ids start in `tokens` (blocks that are not paragraphs have none);
    /// one entry more than the issue has blocks.
    public let blockStarts: [Int32]

    /// The ids of blocks `blocks` (an article's block range).
    public func range(ofBlocks blocks: Range<Int32>) -> Range<Int> {
        Int(blockStarts[Int(blocks.lowerBound)])..<Int(blockStarts[Int(blocks.upperBound)])
    }
}

/// The segmented corpus: a vocabulary and, per issue, the word ids of its paragraphs.
public struct WordTable: Sendable {
    /// Word texts by id; id 0 is the gap marker, with empty text.
    public let texts: [String]
    /// Ids by word text.
    public let ids: [String: UInt32]
    /// Per issue, in load order.
    public let issues: [IssueWords]
    /// Occurrences of each id in the whole corpus (0 for the gap marker).
    public let counts: [Int]
    /// Words in the whole corpus.
    public let total: Int
    /// How long segmenting took, in milliseconds.
    public let milliseconds: Double
    let vocabulary: SegmentationVocabulary

    /// The ids of the words of `text`, segmented as the corpus was; nil for a word the corpus
    /// does not have. Empty when `text` has no words.
    public func ids(of text: String) -> [UInt32?] {
        let segmenter = Segmenter(vocabulary)
        var result: [UInt32?] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { p in
            segmenter.words(p, 0, p.count, word: { s, e in
                result.append(ids[String(decoding: p[s..<e], as: UTF8.self)])
            }, gap: {})
        }
        return result
    }

    /// Segments every paragraph of `issues`: each chunk of issues on its own core with its own
    /// ICU iterator and vocabulary; the vocabularies are then merged and the ids renumbered.
    static func build(_ issues: [Issue], _ vocabulary: SegmentationVocabulary,
                      stoppingIf stop: @escaping @Sendable () -> Bool = { false },
                      progress: (any ProgressReporter)? = nil) -> WordTable? {
        let start = Clock.now()
        let segmented = Parallel.chunked(issues.count, perCore: 4, stoppingIf: stop,
                                         progress: .named("segmenting words", unit: "issues", to: progress)) { range, step -> ChunkWords? in
            let part = ChunkWords.segment(issues[range], Segmenter(vocabulary), stoppingIf: { !step.next() })
            return part.stopped ? nil : part
        }
        guard let parts = segmented else { return nil }
        // One vocabulary for all: local id → global id, chunk by chunk.
        var global = ByteVocabulary()
        let maps: [[UInt32]] = parts.map { part in
            (0..<part.vocabulary.count).map { UInt32(global.id(copying: part.vocabulary, $0)) + 1 }
        }
        let vocabularySize = global.count + 1
        let perChunkCounts = Parallel.map(parts.count) { c -> [Int] in
            parts[c].renumber(maps[c], vocabularySize: vocabularySize)
        }
        var counts = [Int](repeating: 0, count: vocabularySize)
        for chunk in perChunkCounts {
            for (id, k) in chunk.enumerated() { counts[id] += k }
        }
        var texts = [""]
        texts.reserveCapacity(vocabularySize)
        var ids: [String: UInt32] = [:]
        ids.reserveCapacity(vocabularySize)
        for id in 0..<global.count {
            let text = global.string(id)
            texts.append(text)
            ids[text] = UInt32(id + 1)
        }
        let ms = Clock.milliseconds(from: start, to: Clock.now())
        return WordTable(texts: texts, ids: ids, issues: parts.flatMap(\.issues), counts: counts,
                         total: counts.reduce(0, +), milliseconds: ms, vocabulary: vocabulary)
    }
}

/// One chunk's segmentation: ids local to its own vocabulary until `renumber`.
final class ChunkWords: @unchecked Sendable {
    var vocabulary = ByteVocabulary()
    var issues: [IssueWords] = []
    /// Whether `stop` cut the work short.
    var stopped = false

    static func segment(_ issues: ArraySlice<Issue>, _ segmenter: Segmenter, stoppingIf stop: () -> Bool) -> ChunkWords {
        let part = ChunkWords()
        // Interned through a local: a class property touched per word costs an access check.
        var vocabulary = ByteVocabulary()
        defer { part.vocabulary = vocabulary }
        for issue in issues {
            // Up to a 4-byte token per 3 bytes of text, with room to grow: under a memory
            // limit, asked before the issue's tokens are reserved.
            if stop() || !MemoryHeadroom.enoughForMoreWork(issue.text.count * 2) {
                part.stopped = true
                return part
            }
            var tokens: [UInt32] = []
            tokens.reserveCapacity(issue.text.count / 5)
            var starts: [Int32] = []
            starts.reserveCapacity(issue.blocks.count + 1)
            issue.text.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress else { return }
                for block in issue.blocks {
                    starts.append(Int32(tokens.count))
                    guard block.kind == .paragraph else { continue }
                    let first = tokens.count
                    var pendingGap = false
                    segmenter.words(p, block.range.lower, block.range.upper, word: { s, e in
                        if pendingGap && tokens.count > first { tokens.append(0) }
                        pendingGap = false
                        tokens.append(UInt32(vocabulary.id(base + s, e - s)) + 1)
                    }, gap: { pendingGap = true })
                }
            }
            starts.append(Int32(tokens.count))
            part.issues.append(IssueWords(tokens: tokens, blockStarts: starts))
        }
        return part
    }

    /// Rewrites the local ids as global ones (`map[local - 1]`) and counts them.
    func renumber(_ map: [UInt32], vocabularySize: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: vocabularySize)
        issues = issues.map { words in
            var tokens = words.tokens
            tokens.withUnsafeMutableBufferPointer { t in
                for k in t.indices where t[k] != 0 {
                    let id = map[Int(t[k]) - 1]
                    t[k] = id
                    counts[Int(id)] += 1
                }
            }
            return IssueWords(tokens: tokens, blockStarts: words.blockStarts)
        }
        return counts
    }
}

/// Distinct byte strings with dense ids, in an open-addressing table over one byte arena:
/// interning a word costs a hash and a compare, with no `String` made.
struct ByteVocabulary {
    private var arena: [UInt8] = []
    private var offsets: [Int32] = [0]
    private var hashes: [UInt64] = []
    private var slots = [Int32](repeating: -1, count: 1024)

    var count: Int { offsets.count - 1 }

    /// The id of the word `p[0..<n]`, adding it if new.
    @inline(__always)
    mutating func id(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<n { hash = (hash ^ UInt64(p[k])) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 20) & mask
        while true {
            let id = Int(slots[slot])
            if id < 0 { break }
            if hashes[id] == hash, Int(offsets[id + 1] - offsets[id]) == n,
               arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + Int(offsets[id]), p, n) == 0 }) {
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = count
        slots[slot] = Int32(id)
        hashes.append(hash)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(Int32(arena.count))
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The id here of word `id` of `other`.
    mutating func id(copying other: ByteVocabulary, _ id: Int) -> Int {
        other.arena.withUnsafeBufferPointer { a in
            let start = Int(other.offsets[id])
            let n = Int(other.offsets[id + 1]) - start
            // An empty word cannot occur; `a.baseAddress` is set whenever n > 0.
            return n == 0 ? self.id(UnsafePointer(bitPattern: 1)!, 0) : self.id(a.baseAddress! + start, n)
        }
    }

    func string(_ id: Int) -> String {
        String(decoding: arena[Int(offsets[id])..<Int(offsets[id + 1])], as: UTF8.self)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash >> 20) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(id)
        }
    }
}
