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

    public init() {}

    public init(_ result: LoadResult) {
        append(result)
    }

    /// Adds what a load produced after what is already loaded.
    public mutating func append(_ result: LoadResult) {
        let first = issues.isEmpty
        var seen: [String: String] = [:]
        for issue in issues { seen[issue.id] = issue.path }
        diagnostics += result.diagnostics
        files.formUnion(result.files)
        for issue in result.issues {
            if let other = seen[issue.id] {
                diagnostics.append(Diagnostic(.warning, file: issue.path,
                    "issue id '\(issue.id)' is also the id of \(other)"))
            } else {
                seen[issue.id] = issue.path
            }
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
