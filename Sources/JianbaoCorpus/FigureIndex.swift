#if canImport(Glibc)
import Glibc
#endif

/// The figures of a corpus, extracted on first use (on all cores) and kept: extraction never
/// runs per query, and a load that never asks for figures does not pay for them.
public final class FigureIndex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var perIssue: [[Figure]]?
    private var columnCache: FigureColumns?
    private let issues: [Issue]
    private let names: NameIndex
    /// How long extraction took, in milliseconds, once done.
    public private(set) var milliseconds: Double?

    /// Figures kept from an earlier run (a snapshot's), tried before extracting; and where to
    /// keep them once extracted (docs/SNAPSHOT.md).
    private let preload: (@Sendable () -> (figures: [[Figure]], columns: FigureColumns)?)?
    private let whenExtracted: (@Sendable ([[Figure]]) -> Void)?

    init(_ issues: [Issue], names: NameIndex, preload: (@Sendable () -> (figures: [[Figure]], columns: FigureColumns)?)? = nil,
         whenExtracted: (@Sendable ([[Figure]]) -> Void)? = nil) {
        self.issues = issues
        self.names = names
        self.preload = preload
        self.whenExtracted = whenExtracted
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Figures per issue, in paragraph order.
    public var figures: [[Figure]] { figures(stoppingIf: { false })! }

    /// Figures per issue, extracted now if this is the first use unless `stop` says so on the
    /// way (Ctrl-C): then nil, and nothing half made is kept. A long extraction says how far
    /// it is to `progress`.
    public func figures(stoppingIf stop: @escaping @Sendable () -> Bool,
                        progress: (any ProgressReporter)? = nil) -> [[Figure]]? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let perIssue { return perIssue }
        if let kept = preload?(), kept.figures.count == issues.count {
            perIssue = kept.figures
            columnCache = kept.columns
            return kept.figures
        }
        let start = Clock.now()
        let lexicon = Lexicon.current
        let byLength: (String, String) -> Bool = { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        let subjects = Array(names.sources.union(lexicon.subjects)).sorted(by: byLength)
        let organisations = names.sources.sorted(by: byLength)
        // Known subjects and organisations of three characters or more count as named in the
        // text (two characters, 基金 or 项目, are too often part of other words).
        let subjectWords = Words(subjects.filter { $0.unicodeScalars.count >= 3 })
        let tables = PhraseTables(lexicon: lexicon, subjects: subjects)
        let issues = self.issues
        // Chunks of issues, each with its own phrase cache.
        let perChunk = Parallel.chunked(issues.count, perCore: 8, stoppingIf: stop,
                                        progress: .named("extracting figures", unit: "issues", to: progress)) { range, step -> [[Figure]]? in
            let cache = PhraseCache()
            var figures: [[Figure]] = []
            for i in range {
                // An issue's figures can take twice its text's size (a figure per 125 bytes
                // of dense report prose, 250 bytes each), and twice that while their array
                // grows: under a memory limit, asked first.
                guard step.next(), MemoryHeadroom.enoughForMoreWork(issues[i].text.count * 4),
                      let found = FigureIndex.extract(issues[i], lexicon: lexicon, subjects: subjects, organisations: organisations,
                                                      subjectWords: subjectWords, tables: tables, cache: cache, stop: stop) else { return nil }
                figures.append(found)
            }
            return figures
        }
        guard let perChunk else { return nil }
        let result = perChunk.flatMap { $0 }
        milliseconds = Clock.milliseconds(from: start, to: Clock.now())
        perIssue = result
        whenExtracted?(result)
        return result
    }

    public var count: Int { figures.reduce(0) { $0 + $1.count } }

    /// The figures as columns with interned subjects and metrics, made on first use from the
    /// figures (extracted first if they are not yet).
    public var columns: FigureColumns {
        let figures = self.figures
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let columnCache { return columnCache }
        let made = FigureColumns(figures)
        columnCache = made
        return made
    }

    /// The figures of one issue; nil when `stop` said so on the way (it is asked before each
    /// paragraph and, inside a long one, every few thousand characters).
    static func extract(_ issue: Issue, lexicon: Lexicon, subjects: [String], organisations: [String],
                        subjectWords: Words? = nil, tables: PhraseTables? = nil, cache: PhraseCache = PhraseCache(),
                        stop: @escaping () -> Bool = { false }) -> [Figure]? {
        var result: [Figure] = []
        cache.stop = stop
        cache.stopped = false
        defer { cache.stop = { false } }
        let textArray = issue.text.array
        issue.text.withUnsafeBufferPointer { p in
            for (a, article) in issue.articles.enumerated() {
                // Parsed only for an article that has a paragraph with a digit.
                var source: String?
                for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                    if cache.stopped || stop() || !roomForMore(&result) { cache.stopped = true; return }
                    let range = issue.blocks[Int(b)].range
                    guard FigureExtractor.hasDigit(p, range) else { continue }
                    var extractor = FigureExtractor(lexicon: lexicon, subjects: subjects, issueYear: issue.date?.year,
                                                    bytes: p, range: range, cache: cache, text: textArray)
                    extractor.organisations = organisations
                    if source == nil { source = issue.sources(of: article).first ?? "" }
                    extractor.source = source!
                    extractor.subjectWords = subjectWords
                    extractor.sharedTables = tables
                    extractor.issueMonth = issue.date?.month
                    extractor.figures(article: Int32(a), block: b, into: &result)
                }
            }
        }
        return cache.stopped ? nil : result
    }

    /// Under a memory limit, before each paragraph: room for the figures' array to double
    /// (its next growth) and for one more batch of work; false stops the statement for want
    /// of memory (`Cancellation.stopForMemory`). A figure's strings live outside the array, so
    /// the general check runs every 16 paragraphs too.
    private static func roomForMore(_ figures: inout [Figure]) -> Bool {
        guard MemoryHeadroom.isLimited else { return true }
        if figures.count + 256 > figures.capacity {
            return MemoryHeadroom.enoughForMoreWork(figures.capacity * 2 * MemoryLayout<Figure>.stride)
        }
        return figures.count % 16 != 0 || MemoryHeadroom.enoughForMoreWork()
    }
}

extension Lexicon {
    /// The lexicons in force: built-in plus the user's files, read once.
    public static let current: Lexicon = withUserFiles().0
}
