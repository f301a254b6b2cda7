import JianbaoCorpus

/// One row of a target, by position in the corpus; no text is made until a field is read.
///
/// 32-bit fields keep a row at 24 bytes: sorted and grouped results hold one per row.
public struct RowRef: Sendable {
    var issue32: Int32
    var index32: Int32
    var n32: Int32
    var block32: Int32
    /// The paragraph or sentence text.
    public var range: ByteRange

    public init(issue: Int, index: Int, n: Int = 0, range: ByteRange = ByteRange(0, 0), block: Int = -1) {
        issue32 = Int32(truncatingIfNeeded: issue)
        index32 = Int32(truncatingIfNeeded: index)
        n32 = Int32(truncatingIfNeeded: n)
        block32 = Int32(truncatingIfNeeded: block)
        self.range = range
    }

    /// Index into `corpus.issues` (-1 for `sources`).
    public var issue: Int { Int(issue32) }
    /// Section, article or source-summary index, by target.
    public var index: Int { Int(index32) }
    /// Paragraph or sentence number within the article, from 1.
    public var n: Int { Int(n32) }
    /// Index into the issue's blocks of the paragraph (for paragraphs and sentences).
    public var block: Int { Int(block32) }
}

/// A reporting organisation with what `select sources` shows of it.
public struct SourceSummary: Sendable {
    public var name: String
    public var articles: Int
    public var issues: Int
    public var first: BulletinDate?
    public var last: BulletinDate?

    /// Every organisation named in a source, in order of first appearance.
    public static func all(in corpus: Corpus) -> [SourceSummary] {
        var order: [String: Int] = [:]
        var result: [SourceSummary] = []
        for (issueIndex, issue) in corpus.issues.enumerated() {
            var seenHere: Set<String> = []
            for article in issue.articles {
                for name in issue.sources(of: article) {
                    let slot: Int
                    if let known = order[name] {
                        slot = known
                    } else {
                        slot = result.count
                        order[name] = slot
                        result.append(SourceSummary(name: name, articles: 0, issues: 0, first: nil, last: nil))
                    }
                    result[slot].articles += 1
                    if seenHere.insert(name).inserted {
                        result[slot].issues += 1
                        if let date = corpus.issues[issueIndex].date {
                            if result[slot].first.map({ date < $0 }) ?? true { result[slot].first = date }
                            if result[slot].last.map({ $0 < date }) ?? true { result[slot].last = date }
                        }
                    }
                }
            }
        }
        return result
    }
}

/// Enumerates the rows of a target and reads their fields.
public struct RowSource: Sendable {
    public let corpus: Corpus
    public let target: Target
    /// Filled for the `sources` target only.
    let sources: [SourceSummary]
    /// The figures per issue, for the `figures` target only: taken once here, since the
    /// index hands them out under a lock (taken per field read, it cost a `group by` over a
    /// million figures most of its time). Kept figures are read in place, field by field.
    let figureTable: FigureTable
    /// For the figures target under a statement's predicate that requires a test of the
    /// metric: whether a row of each metric code (+1; 0 for none) can pass it. Rows of the
    /// other metrics are not made at all, so `metric 营业收入` walks the metric column and then
    /// only its own rows. nil: every row.
    private var metricAllowed: [Bool]?
    private var figureColumns: FigureColumns?

    public init(corpus: Corpus, target: Target) {
        self.corpus = corpus
        self.target = target
        sources = target == .sources ? SourceSummary.all(in: corpus) : []
        figureTable = target == .figures ? corpus.figures.figures : FigureTable([])
    }

    /// This source with its rows narrowed to those that can pass `predicate`, where that is
    /// known before any row is made: the figures of the metrics a `metric` statement or a
    /// `where metric …` joined by `and` names. Only for making rows that `predicate` then
    /// filters (the filter still decides each row).
    public func narrowed(by predicate: Predicate?) -> RowSource {
        guard target == .figures, let predicate, let test = Self.metricTest(predicate) else { return self }
        let columns = corpus.figures.columns
        var allowed = [Bool](repeating: false, count: columns.metrics.count + 1)
        // As the filter tests a metric: once per distinct value, as text ("" for none).
        do throws(Regex.LimitReached) {
            allowed[0] = try Matching.value(.text(""), test)
            for (k, metric) in columns.metrics.enumerated() { allowed[k + 1] = try Matching.value(.text(metric), test) }
        } catch {
            return self
        }
        var narrowed = self
        narrowed.metricAllowed = allowed
        narrowed.figureColumns = columns
        return narrowed
    }

    /// The test of the metric that every row passing `predicate` passes, if there is one.
    private static func metricTest(_ predicate: Predicate) -> Test? {
        switch predicate {
        case .test(let spec, let test, _) where spec.field == .metric: return test
        case .and(let l, let r): return metricTest(l) ?? metricTest(r)
        default: return nil
        }
    }

    /// The units rows are produced and filtered in: ranges of issue indices, several per
    /// core; `sources`, whose rows belong to no one issue, is one group (-1..<0).
    public var groups: [Range<Int>] { Self.groups(of: target, in: corpus) }

    /// `groups` of a target, without a row source (the export lays out its tables by them).
    static func groups(of target: Target, in corpus: Corpus) -> [Range<Int>] {
        target == .sources ? [-1..<0] : corpus.issueChunks()
    }

    /// The rows of one group, in order.
    public func rows(of group: Range<Int>) -> [RowRef] {
        var rows: [RowRef] = []
        if target == .sources {
            forEach { rows.append($0); return true }
        } else {
            for i in group { forEach(issue: i) { rows.append($0); return true } }
        }
        return rows
    }

    /// Calls `body` for each row in corpus order until it returns false.
    public func forEach(_ body: (RowRef) throws -> Bool) rethrows {
        if target == .sources {
            for s in sources.indices where try !body(RowRef(issue: -1, index: s)) { return }
            return
        }
        for i in corpus.issues.indices where try !forEach(issue: i, body) { return }
    }

    /// Calls `body` for each row of issue `i` in order; false when `body` asked to stop.
    @discardableResult
    public func forEach(issue i: Int, _ body: (RowRef) throws -> Bool) rethrows -> Bool {
        let issue = corpus.issues[i]
        switch target {
        case .issues:
            return try body(RowRef(issue: i, index: i))
        case .sections:
            for s in issue.sections.indices where try !body(RowRef(issue: i, index: s)) { return false }
        case .articles:
            for a in issue.articles.indices where try !body(RowRef(issue: i, index: a)) { return false }
        case .paragraphs, .sentences:
            for (a, article) in issue.articles.enumerated() {
                var n = 0
                for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                    let range = issue.blocks[Int(b)].range
                    if target == .paragraphs {
                        n += 1
                        if try !body(RowRef(issue: i, index: a, n: n, range: range, block: Int(b))) { return false }
                        continue
                    }
                    let pieces = issue.text.withUnsafeBufferPointer { Sentences.split($0, range) }
                    for piece in pieces {
                        n += 1
                        if try !body(RowRef(issue: i, index: a, n: n, range: piece, block: Int(b))) { return false }
                    }
                }
            }
        case .figures:
            if let metricAllowed, let columns = figureColumns {
                let first = columns.start[i]
                for f in figureTable[i].indices where metricAllowed[Int(columns.metric[first + f]) + 1] {
                    if try !body(RowRef(issue: i, index: f)) { return false }
                }
                return true
            }
            for f in figureTable[i].indices where try !body(RowRef(issue: i, index: f)) { return false }
        case .sources:
            break
        }
        return true
    }

    /// Number of rows, without reading any field where the model already knows it.
    public func count() -> Int {
        switch target {
        case .issues: return corpus.issues.count
        case .sections: return corpus.issues.reduce(0) { $0 + $1.sections.count }
        case .articles: return corpus.articleCount
        case .paragraphs:
            return corpus.issues.reduce(0) { total, issue in
                issue.articles.reduce(total) { $0 + Int($1.paragraphCount) }
            }
        case .sentences:
            var total = 0
            forEach { _ in total += 1; return true }
            return total
        case .figures: return corpus.figures.count
        case .sources: return sources.count
        }
    }

    /// The value of `field` in `row`. The resolver has checked that the target has it.
    public func value(_ field: Field, _ row: RowRef) -> Value {
        if target == .sources { return sourceValue(field, sources[row.index]) }
        if target == .figures { return figureValue(field, row) }
        let issue = corpus.issues[row.issue]
        switch (target, field) {
        case (.issues, .id): return .text(issue.id)
        case (.issues, .file): return .text(issue.path)
        case (.issues, .title): return .text(issue.title)
        case (.issues, .number): return issue.number.map { .integer($0) } ?? .null
        case (.issues, .sections): return .integer(issue.sections.count)
        case (.issues, .articles): return .integer(issue.articles.count)
        case (.issues, .chars): return .integer(issue.articles.reduce(0) { $0 + issue.characterCount(of: $1) })
        case (.issues, .encoding): return issue.encoding.map { .text($0) } ?? .null
        case (.issues, .format): return .text(issue.format)
        case (_, .date): return issue.date.map { .date($0) } ?? .null
        case (_, .year): return issue.date.map { .integer($0.year) } ?? .null
        case (_, .issue): return .text(issue.id)

        case (.sections, .name): return .slice(TextSlice(issue, issue.sections[row.index].name))
        case (.sections, .ordinal): return .integer(Int(issue.sections[row.index].ordinal))
        case (.sections, .articles): return .integer(issue.sections[row.index].articles.count)

        case (.articles, .id): return .integer(corpus.articleID(issue: row.issue, article: row.index))
        case (.articles, .title):
            return .slice(TextSlice(issue, issue.blocks(of: issue.articles[row.index], .title).map(\.range), separator: 0x20))
        case (.articles, .titleLines): return .list(issue.titleLines(of: issue.articles[row.index]))
        case (.articles, .subheadings): return .integer(Int(issue.articles[row.index].subheadingCount))
        case (.articles, .paragraphs): return .integer(Int(issue.articles[row.index].paragraphCount))
        case (.articles, .chars): return .integer(issue.characterCount(of: issue.articles[row.index]))
        case (.articles, .source): return issue.sources(of: issue.articles[row.index]).first.map { .text($0) } ?? .null
        case (.articles, .sources): return .list(issue.sources(of: issue.articles[row.index]))
        case (.articles, .body):
            return .slice(TextSlice(issue, issue.blocks(of: issue.articles[row.index], .paragraph).map(\.range)))

        case (_, .section): return .slice(TextSlice(issue, issue.sections[Int(issue.articles[row.index].section)].name))
        case (_, .article): return .integer(corpus.articleID(issue: row.issue, article: row.index))
        case (_, .n): return .integer(row.n)
        case (_, .text): return .slice(TextSlice(issue, row.range))
        case (.paragraphs, .chars):
            return .integer(issue.text.withUnsafeBufferPointer { UTF8Text.scalarCount($0, row.range.lower, row.range.upper) })
        default:
            preconditionFailure("resolver let through \(field) for \(target)")
        }
    }

    /// Whether `field` is a section name for this target (a section's `name`, or the
    /// `section` of an article, paragraph or sentence).
    func namesSection(_ field: Field) -> Bool {
        switch (target, field) {
        case (.sections, .name), (.articles, .section), (.paragraphs, .section), (.sentences, .section): return true
        default: return false
        }
    }

    /// The index of the section a row is or belongs to (targets for which `namesSection`).
    func sectionIndex(_ row: RowRef) -> Int {
        target == .sections ? row.index : Int(corpus.issues[row.issue].articles[row.index].section)
    }

    private func figureValue(_ field: Field, _ row: RowRef) -> Value {
        let issue = corpus.issues[row.issue]
        let f = figureTable.record(issue: row.issue, index: row.index)
        switch field {
        case .article: return .integer(corpus.articleID(issue: row.issue, article: Int(f.article)))
        case .issue: return .text(issue.id)
        case .date: return issue.date.map { .date($0) } ?? .null
        case .year: return issue.date.map { .integer($0.year) } ?? .null
        case .section: return .slice(TextSlice(issue, issue.sections[Int(issue.articles[Int(f.article)].section)].name))
        case .metric: return .text(f.metric)
        case .value: return .number(f.value)
        case .unit: return .text(f.unit)
        case .amount: return .amount(f.amount, base: f.base)
        case .base: return .text(f.base)
        case .change: return f.change.map { .number($0) } ?? .null
        case .qualifier: return f.qualifier.isEmpty ? .null : .text(f.qualifier)
        case .period: return f.period.map { .integer($0) } ?? .null
        case .subject: return f.subject.isEmpty ? .null : .text(f.subject)
        case .text: return .slice(TextSlice(issue, f.text))
        case .sentence: return .slice(TextSlice(issue, f.sentence))
        case .valueHigh: return f.valueHigh.map { .number($0) } ?? .null
        case .changeBasis: return f.changeBasis.isEmpty ? .null : .text(f.changeBasis)
        case .changeUnit: return f.changeUnit.isEmpty ? .null : .text(f.changeUnit)
        case .changeAbs: return f.changeAbsolute.map { .number($0) } ?? .null
        case .span: return f.span.isEmpty ? .null : .text(f.span)
        case .cumulative: return .integer(f.cumulative ? 1 : 0)
        case .subjectKey: return f.subject.isEmpty ? .null : .text(Lexicon.current.canonicalName(f.subject))
        case .source: return f.source.isEmpty ? .null : .text(f.source)
        case .sentenceN: return .integer(sentenceNumber(f, in: issue))
        default: preconditionFailure("resolver let through \(field) for figures")
        }
    }

    /// The position of a figure's sentence in its article, counted as the `sentences` target
    /// counts (the n of `select sentences`).
    private func sentenceNumber(_ f: FigureRecord, in issue: Issue) -> Int {
        let article = issue.articles[Int(f.article)]
        var n = 0
        return issue.text.withUnsafeBufferPointer { p in
            for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                let pieces = Sentences.split(p, issue.blocks[Int(b)].range)
                if Int(b) == Int(f.block) {
                    let k = pieces.firstIndex { $0.upper > f.text.lower } ?? max(0, pieces.count - 1)
                    return n + k + 1
                }
                n += pieces.count
            }
            return n
        }
    }

    private func sourceValue(_ field: Field, _ s: SourceSummary) -> Value {
        switch field {
        case .name: return .text(s.name)
        case .articles: return .integer(s.articles)
        case .issues: return .integer(s.issues)
        case .first: return s.first.map { .date($0) } ?? .null
        case .last: return s.last.map { .date($0) } ?? .null
        default: preconditionFailure("resolver let through \(field) for sources")
        }
    }
}
