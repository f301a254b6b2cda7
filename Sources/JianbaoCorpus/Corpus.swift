#if canImport(Glibc)
import Glibc
#endif

/// The loaded corpus: issues in load order, their diagnostics, and global article numbering.
///
/// Article ids are stable for a given corpus: issues in load order, articles in file order,
/// numbered from 1. Loading more (`.load`) appends, so existing ids do not change.
public struct Corpus: Sendable {
    /// Issues in load order.
    public private(set) var issues: [Issue] = []
    /// Everything the loader reported, in load order.
    public private(set) var diagnostics: [Diagnostic] = []
    /// For each issue, the number of articles in the issues before it.
    public private(set) var articleBase: [Int] = []
    /// Total number of articles.
    public private(set) var articleCount = 0
    /// For each issue, the number of sections in the issues before it.
    public private(set) var sectionBase: [Int] = []
    /// For each issue, the number of blocks in the issues before it.
    public private(set) var blockBase: [Int] = []
    public private(set) var sectionCount = 0
    public private(set) var blockCount = 0
    /// Section and source names, built when first asked for; renewed when more is loaded.
    public private(set) var names = NameIndex([])
    /// Figures, extracted when first asked for; renewed when more is loaded.
    public private(set) var figures = FigureIndex([], names: NameIndex([]))
    /// Paragraph words, segmented when first asked for; renewed when more is loaded.
    public private(set) var words = WordIndex([], names: NameIndex([]))
    /// The files the issues were read from, by (device, inode): `.output` refuses them.
    public private(set) var files: Set<FileIdentity> = []

    /// The texts of a warm load read from their files, kept in the snapshot once all have
    /// been read (`keepTexts`); nil when there are none or the corpus is more than one load.
    public private(set) var textStore: SnapshotTexts?

    public init() {}

    /// Keeps the texts read from their files in the snapshot once statements have read all of
    /// them (docs/SNAPSHOT.md): called after each statement. The write goes on in the
    /// background, among `snapshotWrites`.
    public mutating func keepTexts() {
        if let write = textStore?.keepIfAllRead() { snapshotWrites.append(write) }
    }

    public init(_ result: LoadResult) {
        append(result)
    }

    /// Adds what a load produced after what is already loaded.
    public mutating func append(_ result: LoadResult) {
        let first = issues.isEmpty
        diagnostics += result.diagnostics
        files.reserveCapacity(files.count + result.files.count)
        files.formUnion(result.files)
        for (issue, other) in Self.sharedIDs(issues, result.issues) {
            diagnostics.append(Diagnostic(.warning, file: issue.path, "issue id '\(issue.id)' is also the id of \(other.path)"))
        }
        articleBase.reserveCapacity(issues.count + result.issues.count)
        sectionBase.reserveCapacity(issues.count + result.issues.count)
        blockBase.reserveCapacity(issues.count + result.issues.count)
        issues.reserveCapacity(issues.count + result.issues.count)
        for issue in result.issues {
            articleBase.append(articleCount)
            articleCount += issue.articles.count
            sectionBase.append(sectionCount)
            sectionCount += issue.sections.count
            blockBase.append(blockCount)
            blockCount += issue.blocks.count
            issues.append(issue)
        }
        names = NameIndex(issues)
        // Figures kept beside a snapshot serve a corpus that is that snapshot alone.
        let store = first ? result.figureStore : nil
        if let store {
            let issues = self.issues
            figures = FigureIndex(issues, names: names, preload: { store.load(for: issues) }, whenExtracted: { store.save($0) })
        } else {
            figures = FigureIndex(issues, names: names)
        }
        words = WordIndex(issues, names: names, store: first ? result.wordStore : nil)
        textStore = first ? result.textStore : nil
        if let write = result.snapshotWrite { snapshotWrites.append(write) }
    }

    /// Snapshots of this corpus still being written on another thread (its load's, and the
    /// one written again with the texts).
    public private(set) var snapshotWrites: [PendingSnapshotWrite] = []

    /// Waits for the snapshots still being written; the warnings of those that could not be.
    public mutating func finishSnapshotWrites() -> [String] {
        defer { snapshotWrites = [] }
        return snapshotWrites.compactMap { $0.wait() }
    }

    /// Each issue of `added` whose id an issue before it (in `loaded`, then in `added`) has
    /// too, with the first one that has it, in load order. Ids are the same when they are
    /// equal as strings (canonically equivalent). Ids whose every character is one that no
    /// normalisation changes or combines (ASCII, CJK ideographs and punctuation, fullwidth
    /// forms: the names of bulletin files) are equivalent only when their bytes are equal,
    /// so when all ids are such, they are compared as bytes: hashing ten thousand Chinese ids
    /// as strings normalises each and took a tenth of a warm `count articles`.
    static func sharedIDs(_ loaded: [Issue], _ added: [Issue]) -> [(Issue, Issue)] {
        if loaded.allSatisfy({ PlainID.isPlain($0.id) }) && added.allSatisfy({ PlainID.isPlain($0.id) }) {
            return sharedPlainIDs(loaded, added)
        }
        var shared: [(Issue, Issue)] = []
        var seen: [String: Issue] = [:]
        seen.reserveCapacity(loaded.count + added.count)
        for issue in loaded { seen[issue.id] = issue }
        for issue in added {
            if let other = seen[issue.id] { shared.append((issue, other)) } else { seen[issue.id] = issue }
        }
        return shared
    }

    /// `sharedIDs` when every id is plain: an open-addressing table of FNV-1a hashes of the
    /// ids' bytes (Swift's `Hasher`, seeded anew for every id, cost more than the rest).
    /// As with a dictionary: an id loaded before stands for the last issue that has it; among
    /// the added ones, for the first.
    private static func sharedPlainIDs(_ loaded: [Issue], _ added: [Issue]) -> [(Issue, Issue)] {
        let n = loaded.count + added.count
        func issue(_ i: Int) -> Issue { i < loaded.count ? loaded[i] : added[i - loaded.count] }
        var size = 16
        while size < 2 * n { size <<= 1 }
        let mask = size - 1
        var slots = [Int](repeating: -1, count: size)
        var shared: [(Issue, Issue)] = []
        for i in 0..<n {
            var id = issue(i).id
            id.withUTF8 { p in
                var h: UInt64 = 0xCBF2_9CE4_8422_2325
                for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
                var s = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
                while slots[s] >= 0 {
                    var other = issue(slots[s]).id
                    let same = other.withUTF8 { q in q.count == p.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
                    if same {
                        if i < loaded.count { slots[s] = i } else { shared.append((issue(i), issue(slots[s]))) }
                        return
                    }
                    s = (s + 1) & mask
                }
                slots[s] = i
            }
        }
        return shared
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// The global id (1-based) of article `index` of issue `issue`.
    public func articleID(issue: Int, article index: Int) -> Int {
        articleBase[issue] + index + 1
    }

    /// Contiguous ranges of issue indices, about `perCore` for each core: the units that work on
    /// the whole corpus is split into.
    public func issueChunks(perCore: Int = 16) -> [Range<Int>] {
        Parallel.chunks(issues.count, perCore: perCore)
    }

    /// The issue and article index of a global article id, or nil.
    public func locate(articleID id: Int) -> (issue: Int, article: Int)? {
        guard id >= 1, id <= articleCount else { return nil }
        // Binary search for the last issue whose base is below id.
        var lo = 0, hi = issues.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if articleBase[mid] < id { lo = mid } else { hi = mid - 1 }
        }
        return (lo, id - articleBase[lo] - 1)
    }
}

/// Issue ids that can be compared by their bytes (`isPlain`).
enum PlainID {
    /// Whether every scalar of `id` is one that is in normal form C, has no combining class
    /// and combines with nothing around it: such strings are canonically equivalent exactly
    /// when their bytes are equal.
    static func isPlain(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { p in
            var i = 0
            while i < p.count {
                let b = p[i]
                if b < 0x80 { i += 1; continue }
                // Every scalar allowed is three bytes long.
                guard b & 0xF0 == 0xE0, i + 2 < p.count else { return false }
                let s = UInt32(b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
                switch s {
                case 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF5E: i += 3
                default: return false
                }
            }
            return true
        }
    }
}
