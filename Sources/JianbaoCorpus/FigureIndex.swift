#if canImport(Glibc)
import Glibc
#endif

/// The figures of a corpus, extracted on first use (on all cores) and kept: extraction never
/// runs per query, and a load that never asks for figures does not pay for them.
public final class FigureIndex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var table: FigureTable?
    private var columnCache: FigureColumns?
    private let issues: [Issue]
    private let names: NameIndex
    /// How long extraction took, in milliseconds, once done.
    public private(set) var milliseconds: Double?

    /// Figures kept from an earlier run (a snapshot's, read in place), tried before
    /// extracting; and where to keep them once extracted (docs/SNAPSHOT.md).
    private let preload: (@Sendable () -> KeptFigures?)?
    private let whenExtracted: (@Sendable ([[Figure]]) -> Void)?

    init(_ issues: [Issue], names: NameIndex, preload: (@Sendable () -> KeptFigures?)? = nil,
         whenExtracted: (@Sendable ([[Figure]]) -> Void)? = nil) {
        self.issues = issues
        self.names = names
        self.preload = preload
        self.whenExtracted = whenExtracted
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Figures per issue, in paragraph order.
    public var figures: FigureTable { figures(stoppingIf: { false })! }

    /// Figures per issue, extracted now if this is the first use unless `stop` says so on the
    /// way (Ctrl-C): then nil, and nothing half made is kept. A long extraction says how far
    /// it is to `progress`.
    public func figures(stoppingIf stop: @escaping @Sendable () -> Bool,
                        progress: (any ProgressReporter)? = nil) -> FigureTable? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let table { return table }
        if let kept = preload?(), kept.start.count == issues.count {
            let made = FigureTable(kept: kept)
            table = made
            columnCache = kept.columns
            return made
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
        let made = FigureTable(result)
        table = made
        whenExtracted?(result)
        return made
    }

    public var count: Int { figures.figureCount }

    /// The figures as columns with interned subjects and metrics: the kept file's own, or
    /// made on first use from the figures (extracted first if they are not yet).
    public var columns: FigureColumns {
        let figures = self.figures
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let columnCache { return columnCache }
        let made = FigureColumns(figures.arrays)
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

/// The figures of a corpus per issue: extracted ones as arrays, or kept ones read in place
/// from their mapped file (`KeptFigures`), a `Figure` made only for one that is asked for.
/// Read a field of many rows through `record(issue:index:)`, which makes no whole figure.
public struct FigureTable: RandomAccessCollection, Sendable, Equatable {
    /// Extracted figures (empty when kept).
    let arrays: [[Figure]]
    let kept: KeptFigures?

    public init(_ arrays: [[Figure]]) {
        self.arrays = arrays
        kept = nil
    }

    init(kept: KeptFigures) {
        arrays = []
        self.kept = kept
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { kept?.start.count ?? arrays.count }

    public subscript(issue: Int) -> IssueFigures { IssueFigures(table: self, issue: issue) }

    /// How many figures in all.
    public var figureCount: Int { kept?.count ?? arrays.reduce(0) { $0 + $1.count } }

    /// The fields of figure `index` of issue `issue`, read as asked.
    @inline(__always)
    public func record(issue: Int, index: Int) -> FigureRecord {
        FigureRecord(table: self, issue: issue, index: index, row: kept.map { $0.start[issue] + index } ?? 0)
    }

    /// Figures alike, issue by issue.
    public static func == (a: FigureTable, b: FigureTable) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.elementsEqual($1) }
    }
}

/// The figures of one issue.
public struct IssueFigures: RandomAccessCollection, Sendable {
    let table: FigureTable
    let issue: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        guard let kept = table.kept else { return table.arrays[issue].count }
        return (issue + 1 < kept.start.count ? kept.start[issue + 1] : kept.count) - kept.start[issue]
    }

    /// Figure `index`, made whole.
    public subscript(index: Int) -> Figure {
        guard let kept = table.kept else { return table.arrays[issue][index] }
        precondition(index >= 0 && index < endIndex, "figure index out of range")
        return kept.figure(kept.start[issue] + index)
    }
}

/// One figure's fields, each read when asked: from the kept file in place, or from the
/// extracted figure without copying the rest of it.
public struct FigureRecord {
    let table: FigureTable
    let issue: Int, index: Int
    /// The row in the kept file's columns.
    let row: Int

    public var article: Int32 { table.kept?.article(row) ?? table.arrays[issue][index].article }
    public var block: Int32 { table.kept?.block(row) ?? table.arrays[issue][index].block }
    public var metric: String { table.kept?.metric(row) ?? table.arrays[issue][index].metric }
    public var value: Double { table.kept?.value(row) ?? table.arrays[issue][index].value }
    public var unitCode: UInt32 { table.kept?.unitCode(row) ?? table.arrays[issue][index].unitCode }
    public var amount: Double { table.kept?.amount(row) ?? table.arrays[issue][index].amount }
    public var qualifier: String { table.kept?.qualifier(row) ?? table.arrays[issue][index].qualifier }
    public var change: Double? { if let kept = table.kept { return kept.change(row) }; return table.arrays[issue][index].change }
    public var period: Int? { if let kept = table.kept { return kept.period(row) }; return table.arrays[issue][index].period }
    public var subject: String { table.kept?.subject(row) ?? table.arrays[issue][index].subject }
    public var text: ByteRange { table.kept?.text(row) ?? table.arrays[issue][index].text }
    public var sentence: ByteRange { table.kept?.sentence(row) ?? table.arrays[issue][index].sentence }
    public var valueHigh: Double? { if let kept = table.kept { return kept.valueHigh(row) }; return table.arrays[issue][index].valueHigh }
    public var changeBasis: String { table.kept?.changeBasis(row) ?? table.arrays[issue][index].changeBasis }
    public var changeUnit: String { table.kept?.changeUnit(row) ?? table.arrays[issue][index].changeUnit }
    public var changeAbsolute: Double? {
        if let kept = table.kept { return kept.changeAbsolute(row) }
        return table.arrays[issue][index].changeAbsolute
    }
    public var span: String { table.kept?.span(row) ?? table.arrays[issue][index].span }
    public var cumulative: Bool { table.kept?.cumulative(row) ?? table.arrays[issue][index].cumulative }
    public var source: String { table.kept?.source(row) ?? table.arrays[issue][index].source }
    /// Magnitude and unit as written (`万亿元`).
    public var unit: String { Figure.unit(of: unitCode) }
    /// The unit without its magnitude (`元`; `%` for `％`).
    public var base: String { Figure.base(of: unitCode) }
}

extension Lexicon {
    /// The lexicons in force: built-in plus the user's files, read once.
    public static let current: Lexicon = withUserFiles().0
}
