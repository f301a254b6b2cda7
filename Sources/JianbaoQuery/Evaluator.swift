import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// Runs checked plans over the corpus and streams the rows to a formatter.
public struct Evaluator: Sendable {
    let corpus: Corpus
    /// Polled between chunks of work: true stops the statement with "interrupted".
    let isInterrupted: @Sendable () -> Bool
    /// Whether word lists leave out the function words of stopwords.txt (`.stopwords`).
    public var stopwords = true
    /// Where first segmentation and figure extraction say how far they are, if anywhere.
    var progress: (any ProgressReporter)?

    /// `isInterrupted` defaults to the SIGINT flag the shell sets on Ctrl-C.
    public init(corpus: Corpus, isInterrupted: @escaping @Sendable () -> Bool = { jb_interrupt_requested() != 0 }) {
        self.corpus = corpus
        self.isInterrupted = isInterrupted
    }

    /// Stops when the statement's token says so (Ctrl-C or the deadline).
    public init(corpus: Corpus, cancellation: Cancellation) {
        self.init(corpus: corpus, isInterrupted: cancellation.check)
        progress = cancellation.progress
    }

    /// Runs a plan; throws `QueryError` (a pattern too complex, an interrupt) or `OutputClosed`.
    public func run(_ plan: Plan, formatter: inout any ResultFormatter, to out: Output) throws {
        // Figures are extracted on first use, here where Ctrl-C can stop it, not in the
        // middle of a row walk.
        if plan.needsFigures, corpus.figures.figures(stoppingIf: isInterrupted, progress: progress) == nil {
            throw interrupted
        }
        switch plan {
        case .select(let select):
            try runSelect(select, formatter: &formatter, to: out)
        case .count(let plan):
            try runCount(plan, formatter: &formatter, to: out)
        case .aggregate(let plan):
            try runAggregate(plan, formatter: &formatter, to: out)
        case .show(let issueIndex, let articleIndex, let id):
            try formatter.document(document(issueIndex, articleIndex, id), to: out)
        case .metricBy(let plan):
            try runMetricBy(plan, formatter: &formatter, to: out)
        case .kwic(let plan):
            try runKwic(plan, formatter: &formatter, to: out)
        case .freq(let plan):
            try runFreq(plan, formatter: &formatter, to: out)
        case .collocates(let plan):
            try runCollocates(plan, formatter: &formatter, to: out)
        case .trend(let plan):
            try runTrend(plan, formatter: &formatter, to: out)
        case .keywords(let plan):
            try runKeywords(plan, formatter: &formatter, to: out)
        }
    }

    func runSelect(_ plan: SelectPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let source = RowSource(corpus: corpus, target: plan.target)
        let fields = plan.fields.map(\.field)
        let offset = plan.offset ?? 0
        if plan.order.isEmpty {
            // Stream group by group: nothing is kept, and `limit` stops the walk early. The
            // filter's searches (the part that can fail) run before the header is written.
            let filter = try plan.predicate.map { try RowFilter(source, $0, isInterrupted: isInterrupted) }
            try formatter.begin(columns: plan.fields.map(\.name), to: out)
            var seen = 0, written = 0
            let candidates = source.narrowed(by: plan.predicate)
            for group in source.groups {
                if let limit = plan.limit, written >= limit { break }
                if isInterrupted() { throw interrupted }
                let rows = candidates.rows(of: group)
                let verdicts = try filter?.verdicts(rows)
                for (k, row) in rows.enumerated() where verdicts?[k] ?? true {
                    seen += 1
                    if seen <= offset { continue }
                    if let limit = plan.limit, written >= limit { break }
                    try formatter.row(fields.map { source.value($0, row) }, to: out)
                    written += 1
                }
            }
        } else {
            let rows = try matching(source, plan.predicate)
            // Keys are made text once (a slice compared as a String would be made one per
            // comparison); the sort stops on Ctrl-C like everything else.
            var keys: [[Value]] = []
            keys.reserveCapacity(rows.count)
            for (i, row) in rows.enumerated() {
                if i % 65536 == 0, isInterrupted() { throw interrupted }
                if i % 65536 == 65535, !MemoryHeadroom.available() { throw QueryError(.outOfMemory, span: 0..<0) }
                keys.append(plan.order.map { source.value($0.field.field, row).normalized })
            }
            var order = Array(rows.indices)
            var comparisons = 0
            try order.sort { a, b in
                comparisons += 1
                if comparisons % 65536 == 0, isInterrupted() { throw interrupted }
                for (k, key) in plan.order.enumerated() {
                    let c = ValueOrder.compare(keys[a][k], keys[b][k])
                    if c != 0 { return key.descending ? c > 0 : c < 0 }
                }
                return a < b
            }
            try formatter.begin(columns: plan.fields.map(\.name), to: out)
            for i in window(order, plan.limit, plan.offset) {
                try formatter.row(fields.map { source.value($0, rows[i]) }, to: out)
            }
        }
        try formatter.end(to: out)
    }

    /// Every row that passes the predicate, in corpus order; issue by issue on all cores.
    func matching(_ source: RowSource, _ predicate: Predicate?) throws -> [RowRef] {
        let filter = try predicate.map { try RowFilter(source, $0, isInterrupted: isInterrupted) }
        let groups = source.groups
        let candidates = source.narrowed(by: predicate)
        let perGroup = Parallel.map(groups.count) { g -> Result<[RowRef], QueryError> in
            if isInterrupted() { return .failure(interrupted) }
            let rows = candidates.rows(of: groups[g])
            guard let filter else { return .success(rows) }
            do throws(QueryError) {
                let verdicts = try filter.verdicts(rows)
                return .success(zip(rows, verdicts).compactMap { $1 ? $0 : nil })
            } catch {
                return .failure(error)
            }
        }
        var rows: [RowRef] = []
        for result in perGroup { rows += try result.get() }
        return rows
    }

    /// The number of rows that pass, without keeping them.
    func count(_ source: RowSource, _ predicate: Predicate) throws -> Int {
        let filter = try RowFilter(source, predicate, isInterrupted: isInterrupted)
        let groups = source.groups
        let candidates = source.narrowed(by: predicate)
        let perGroup = Parallel.map(groups.count) { g -> Result<Int, QueryError> in
            if isInterrupted() { return .failure(interrupted) }
            do throws(QueryError) {
                return .success(try filter.verdicts(candidates.rows(of: groups[g])).count { $0 })
            } catch {
                return .failure(error)
            }
        }
        var total = 0
        for result in perGroup { total += try result.get() }
        return total
    }

    /// `count … by field`: one group per value (each element of a list), most rows first,
    /// ties by value.
    func groups(_ source: RowSource, _ predicate: Predicate?, _ field: Field) throws -> [(Value, Int)] {
        var counts: [Value: Int] = [:]
        for row in try matching(source, predicate) {
            let value = source.value(field, row).normalized
            if case .list(let items) = value {
                for item in Set(items) { counts[.text(item), default: 0] += 1 }
                if items.isEmpty { counts[.null, default: 0] += 1 }
            } else {
                counts[value, default: 0] += 1
            }
        }
        return counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : ValueOrder.compare(a.key, b.key) < 0
        }.map { ($0.key, $0.value) }
    }

    func document(_ issueIndex: Int, _ articleIndex: Int, _ id: Int) -> ArticleDocument {
        let issue = corpus.issues[issueIndex]
        let article = issue.articles[articleIndex]
        let body = issue.blocks[Int(article.blocks.lowerBound)..<Int(article.blocks.upperBound)]
            .filter { $0.kind != .title }
            .map { (kind: $0.kind, text: issue.string($0.range)) }
        return ArticleDocument(
            id: id, issue: issue.id, date: issue.date, section: issue.sectionName(Int(article.section)),
            titleLines: issue.titleLines(of: article), body: body, sources: issue.sources(of: article))
    }
}

/// How `order by` and `count … by` order values: numbers by value, dates by date, text and
/// lists by Unicode scalar values; absent values after everything else (as PostgreSQL's
/// default: last ascending, first descending).
enum ValueOrder {
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.integer(let x), .integer(let y)): return x == y ? 0 : x < y ? -1 : 1
        case (.number(let x), .number(let y)), (.amount(let x, _), .amount(let y, _)): return x == y ? 0 : x < y ? -1 : 1
        case (.date(let x), .date(let y)): return x == y ? 0 : x < y ? -1 : 1
        case (.text(let x), .text(let y)):
            return compareText(x, y)
        default:
            return compareText(a.plainText, b.plainText)
        }
    }

    /// Orders by Unicode scalar values (for CJK, the order of the code points), which is the
    /// byte order of UTF-8: one memcmp.
    static func compareText(_ x: String, _ y: String) -> Int {
        var x = x, y = y
        return x.withUTF8 { a in
            y.withUTF8 { b in
                let n = min(a.count, b.count)
                let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
                if c != 0 { return c < 0 ? -1 : 1 }
                return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
            }
        }
    }
}
