import CBytes
import JianbaoCorpus

/// `select` after resolution.
public struct SelectPlan: Sendable {
    public var target: Target
    public var fields: [FieldSpec]
    public var predicate: Predicate?
    /// Keys in order; true means descending.
    public var order: [(field: FieldSpec, descending: Bool)]
    public var limit: Int?
    public var offset: Int?
}

/// A statement checked against the schema and the corpus: what the evaluator runs.
public enum Plan: Sendable {
    case select(SelectPlan)
    case count(CountPlan)
    /// `select … group by` with aggregates.
    case aggregate(AggregatePlan)
    case show(issue: Int, article: Int, id: Int)
    /// `metric … by key[, key]`: one row per key, the latest figure of each.
    case metricBy(MetricByPlan)
    case kwic(KwicPlan)
    case freq(FreqPlan)
    case collocates(CollocatesPlan)
    case trend(TrendPlan)
    case keywords(KeywordsPlan)
}

/// What `kwic` looks for.
public enum KwicPattern: Sendable {
    case literal([UInt8])
    case regex(Regex)
}

/// `kwic` after resolution; `predicate` is on articles.
public struct KwicPlan: Sendable {
    public var pattern: KwicPattern
    public var predicate: Predicate?
    /// Characters of context on each side.
    public var width: Int
    public var limit: Int?
    public var offset: Int?
    /// Where the pattern stands in the statement (for a pattern that fails while running).
    public var span: Range<Int>
}

/// What `freq` counts.
public enum FreqKind: String, CaseIterable, Sendable {
    case words, chars, bigrams, ngrams, sources, metrics
}

public struct FreqPlan: Sendable {
    public var kind: FreqKind
    /// Words per n-gram (`freq ngrams N`).
    public var n: Int?
    public var predicate: Predicate?
    public var limit: Int?
    public var offset: Int?
}

/// `collocates` after resolution: the node as word ids (one or more words in a row).
public struct CollocatesPlan: Sendable {
    public var node: [UInt32]
    public var predicate: Predicate?
    /// Words on each side.
    public var window: Int
    public var limit: Int?
    public var offset: Int?
}

extension Plan {
    /// Whether running the plan reads figures.
    var needsFigures: Bool {
        switch self {
        case .select(let s): return s.target == .figures
        case .count(let c): return c.target == .figures
        case .aggregate(let a): return a.target == .figures
        case .metricBy: return true
        case .freq(let f): return f.kind == .metrics
        case .show, .kwic, .collocates, .trend, .keywords: return false
        }
    }
}

/// Something worth saying about a statement that still runs (a name found nowhere).
public struct QueryNote: Sendable, Equatable {
    public var message: String
    public var span: Range<Int>
}

/// Checks every target, field, operator and value and yields a plan; the evaluator never
/// meets an unknown name or a value of the wrong type.
public struct Resolver {
    let corpus: Corpus
    /// The statement's stop conditions: resolving may segment the corpus or extract its
    /// figures for the first time, which takes seconds on a large archive.
    let cancellation: Cancellation
    /// Notes gathered while resolving; the session prints them before the result.
    public private(set) var notes: [QueryNote] = []
    /// How many `not`s and `or`s enclose the test being resolved: a note about a name that
    /// matches nothing says the result is empty only when neither does.
    var negations = 0, alternatives = 0

    public init(corpus: Corpus, cancellation: Cancellation = .onInterrupt) {
        self.corpus = corpus
        self.cancellation = cancellation
    }

    public mutating func resolve(_ statement: Statement) throws(QueryError) -> Plan {
        switch statement {
        case .select(let s):
            if !s.aggregates.isEmpty || !s.groupBy.isEmpty || s.order.contains(where: { $0.aggregate != nil }) {
                return try resolveAggregate(s)
            }
            let spec = try target(s.target)
            var fields: [FieldSpec] = []
            for name in s.fields ?? [] {
                let field = try self.field(name, of: spec)
                if fields.contains(where: { $0.field == field.field }) {
                    throw QueryError(.duplicateField(name.text), span: name.span)
                }
                fields.append(field)
            }
            var order: [(field: FieldSpec, descending: Bool)] = []
            for key in s.order { order.append((try field(key.field, of: spec), key.descending)) }
            return .select(SelectPlan(target: spec.target, fields: s.fields == nil ? spec.fields : fields,
                                      predicate: try s.condition.map { c throws(QueryError) in try predicate(c, spec) },
                                      order: order, limit: s.limit, offset: s.offset))
        case .count(let c):
            return try resolveCount(c)
        case .trend(let t):
            return try resolveTrend(t)
        case .keywords(let k):
            return try resolveKeywords(k)
        case .metric(let m):
            return try resolveMetric(m)
        case .kwic(let k):
            return try resolveKwic(k)
        case .freq(let f):
            guard let kind = FreqKind(rawValue: f.kind.text.lowercased()) else {
                throw QueryError(.unknownFreqKind(f.kind.text, suggestion: Suggest.nearest(f.kind.text, in: Grammar.freqKinds)),
                                 span: f.kind.span)
            }
            return .freq(FreqPlan(kind: kind, n: f.n, predicate: try articlePredicate(f.condition), limit: f.limit, offset: f.offset))
        case .collocates(let c):
            return try resolveCollocates(c)
        case .show(let id, let span):
            guard let (issue, article) = corpus.locate(articleID: id) else {
                throw QueryError(.noSuchArticle(id, count: corpus.articleCount), span: span)
            }
            return .show(issue: issue, article: article, id: id)
        }
    }

    /// Every span shorter than a year.
    static let partialSpans = ["h1", "h2", "q1", "q2", "q3", "q4", "month"] + (1...12).map { "ytd-\($0)" }

    /// Whether a condition names a field.
    static func mentions(_ condition: Condition, _ field: String) -> Bool {
        switch condition {
        case .and(let l, let r), .or(let l, let r): return mentions(l, field) || mentions(r, field)
        case .not(let c): return mentions(c, field)
        case .isIn(let name, _), .compare(let name, _, _, _): return name.text.lowercased() == field
        }
    }

    /// Notes on what a yearly series still mixes: several subjects, several spans, running
    /// totals (累计). Read from the figures the statement selects.
    mutating func seriesNotes(_ predicate: Predicate, span: Range<Int>) {
        let source = RowSource(corpus: corpus, target: .figures)
        guard let filter = try? RowFilter(source, predicate, isInterrupted: { false }) else { return }
        // Counted by interned subject first; named (canonical names merged) once per subject.
        let columns = corpus.figures.columns
        var perCode = [Int](repeating: 0, count: columns.subjects.count + 1)
        var spans = Set<String>(), lastSpan = "", cumulative = 0
        let candidates = source.narrowed(by: predicate)
        for group in source.groups {
            let rows = candidates.rows(of: group)
            guard let verdicts = try? filter.verdicts(rows) else { return }
            for (k, row) in rows.enumerated() where verdicts[k] {
                perCode[Int(columns.subject[columns.row(issue: row.issue, index: row.index)]) + 1] += 1
                // Read in place: a copy of the whole figure per row retained its five strings.
                let span = source.figureTable.record(issue: row.issue, index: row.index).span
                if !span.isEmpty, span != lastSpan { spans.insert(span); lastSpan = span }
                if source.figureTable.record(issue: row.issue, index: row.index).cumulative { cumulative += 1 }
            }
        }
        var subjects: [String: Int] = [:]
        for (code, count) in perCode.enumerated() where count > 0 {
            subjects[code == 0 ? "(none)" : Lexicon.current.canonicalName(columns.subjects[code - 1]), default: 0] += count
        }
        if subjects.count > 1 {
            let top = subjects.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(4).map(\.key)
            notes.append(QueryNote(message: "the series mixes \(subjects.count) subjects (\(top.joined(separator: ", "))\(subjects.count > 4 ? ", …" : "")); `by year, subject` keeps them apart, `where subject = …` keeps one",
                                   span: span))
        }
        if spans.count > 1 {
            notes.append(QueryNote(message: "the series mixes spans (\(spans.sorted().joined(separator: ", "))); `where span = …` keeps one", span: span))
        }
        if cumulative > 0 {
            notes.append(QueryNote(message: "\(cumulative) of its figures are running totals (累计); `where cumulative = 0` leaves them out", span: span))
        }
    }

    /// `metric X`: the figures whose metric is X; else whose metric contains X; else those of
    /// the metrics X is an alias of (aliases widen the search, they never add figures).
    mutating func resolveMetric(_ m: MetricStatement) throws(QueryError) -> Plan {
        let spec = Schema.spec(.figures)
        guard corpus.figures.figures(stoppingIf: cancellation.check, progress: cancellation.progress) != nil else {
            throw QueryError(.interrupted, span: 0..<0)
        }
        // The distinct metrics, interned once (a set of every figure's metric hashed 800,000
        // strings per statement).
        let known = Set(corpus.figures.columns.metrics)
        var names: [String] = known.contains(m.name.text) ? [m.name.text] : known.filter { Names.byteContains($0, m.name.text) }.sorted()
        if let targets = Lexicon.current.aliases[m.name.text] {
            for target in targets {
                names += known.filter { $0 == target || Names.byteContains($0, target) }.filter { !names.contains($0) }.sorted()
            }
        }
        if names.isEmpty {
            notes.append(QueryNote(message: Names.unknownMessage("metric", m.name.text, known: known), span: m.name.span))
        }
        let metricField = spec.field(named: "metric")!
        var predicate = Predicate.test(metricField, .textIn(names), span: m.name.span)
        if let condition = m.condition { predicate = .and(predicate, try self.predicate(condition, spec)) }
        var order: [(field: FieldSpec, descending: Bool)] = []
        for key in m.order { order.append((try field(key.field, of: spec), key.descending)) }
        guard !m.by.isEmpty else {
            let fields = ["issue", "date", "article", "subject", "metric", "period", "value", "unit", "change", "qualifier"]
            return .select(SelectPlan(target: .figures, fields: fields.compactMap { spec.field(named: $0) },
                                      predicate: predicate, order: order, limit: m.limit, offset: m.offset))
        }
        var keys: [MetricKey] = []
        for by in m.by {
            guard let key = MetricKey(rawValue: by.text.lowercased()) else {
                throw QueryError(.metricKey(by.text, suggestion: Suggest.nearest(by.text, in: MetricKey.allCases.map(\.rawValue))), span: by.span)
            }
            if keys.contains(key) { throw QueryError(.metricKeyRepeated(by.text), span: by.span) }
            keys.append(key)
        }
        if let yearKey = keys.firstIndex(of: .year) {
            // A yearly series is of whole years: a quarter or a year to date beside a full year
            // would read as a collapse (docs/FIGURES.md "Span"). `where span = …` asks otherwise.
            let by = m.by[yearKey]
            if !(m.condition.map { Self.mentions($0, "span") } ?? false), let span = spec.field(named: "span") {
                predicate = .and(predicate, .not(.test(span, .textIn(Self.partialSpans), span: by.span)))
            }
            if keys == [.year] { seriesNotes(predicate, span: by.span) }
        }
        return .metricBy(MetricByPlan(predicate: predicate, keys: keys, order: order, limit: m.limit, offset: m.offset))
    }

    mutating func resolveKwic(_ k: KwicStatement) throws(QueryError) -> Plan {
        let pattern: KwicPattern
        guard !k.pattern.text.isEmpty else { throw QueryError(.emptyPattern, span: k.pattern.span) }
        if k.isRegex {
            do {
                pattern = .regex(try Regex(k.pattern.text))
            } catch {
                throw QueryError(.badPattern(error.message), span: patternSpan(k.pattern, error.offset))
            }
        } else {
            pattern = .literal(Array(k.pattern.text.utf8))
        }
        return .kwic(KwicPlan(pattern: pattern, predicate: try articlePredicate(k.condition), width: k.width ?? 20,
                              limit: k.limit, offset: k.offset, span: k.pattern.span))
    }

    /// `collocates X`: X segmented as the corpus was; a word the corpus never has leaves an
    /// empty result and a note.
    mutating func resolveCollocates(_ c: CollocatesStatement) throws(QueryError) -> Plan {
        let window = c.window ?? 5
        guard let table = corpus.words.table(stoppingIf: cancellation.check, progress: cancellation.progress) else {
            throw QueryError(.interrupted, span: 0..<0)
        }
        let ids = table.ids(of: c.word.text)
        if ids.isEmpty { throw QueryError(.emptyPattern, span: c.word.span) }
        let node = ids.compactMap { $0 }
        if node.count < ids.count {
            notes.append(QueryNote(message: "'\(c.word.text)' does not occur as a word of the corpus; the result is empty",
                                   span: c.word.span))
        }
        return .collocates(CollocatesPlan(node: node.count == ids.count ? node : [], predicate: try articlePredicate(c.condition),
                                          window: window, limit: c.limit, offset: c.offset))
    }

    /// A `where` of `kwic`, `freq` or `collocates`: a condition on articles.
    mutating func articlePredicate(_ condition: Condition?) throws(QueryError) -> Predicate? {
        guard let condition else { return nil }
        return try predicate(condition, Schema.spec(.articles))
    }

    func target(_ name: Name) throws(QueryError) -> TargetSpec {
        if let spec = Schema.target(named: name.text) { return spec }
        throw QueryError(.unknownTarget(name.text, suggestion: Suggest.nearest(name.text, in: Schema.targets.map(\.name))),
                         span: name.span)
    }

    func field(_ name: Name, of spec: TargetSpec) throws(QueryError) -> FieldSpec {
        if let field = spec.field(named: name.text) { return field }
        // `select articles were …` reads `were` as a field: a keyword may be what was meant.
        let suggestion = Suggest.nearest(name.text, in: spec.fields.map(\.name))
            ?? Suggest.nearest(name.text, in: Grammar.keywords)
        throw QueryError(.unknownField(target: spec.name, field: name.text, suggestion: suggestion), span: name.span)
    }

    mutating func predicate(_ condition: Condition, _ spec: TargetSpec) throws(QueryError) -> Predicate {
        switch condition {
        case .and(let l, let r): return .and(try predicate(l, spec), try predicate(r, spec))
        case .or(let l, let r):
            alternatives += 1
            defer { alternatives -= 1 }
            return .or(try predicate(l, spec), try predicate(r, spec))
        case .not(let c):
            negations += 1
            defer { negations -= 1 }
            return .not(try predicate(c, spec))
        case .isIn(let name, let values):
            let field = try self.field(name, of: spec)
            let span = values.first!.span.lowerBound..<values.last!.span.upperBound
            return .test(field, try equality(field, values, spec), span: span)
        case .compare(let name, let op, let value, let opSpan):
            let field = try self.field(name, of: spec)
            let test: Test
            switch op {
            case .equal, .notEqual:
                negations += op == .notEqual ? 1 : 0
                defer { negations -= op == .notEqual ? 1 : 0 }
                test = try equality(field, [value], spec)
            case .contains, .matches:
                guard field.type == .text || field.type == .list else {
                    throw QueryError(.textOperator(op.rawValue, field: field.name, type: field.type.rawValue), span: opSpan)
                }
                if op == .contains {
                    test = .textContains(Array(value.text.utf8))
                } else {
                    do {
                        test = .textMatches(try Regex(value.text))
                    } catch {
                        throw QueryError(.badPattern(error.message), span: patternSpan(value, error.offset))
                    }
                }
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                test = try ordering(field, op, value, opSpan, spec)
            }
            var leaf = Predicate.test(field, test, span: value.span)
            // `amount >= 1000亿元` also means the figure is counted in 元.
            if field.field == .amount, let unit = Quantity(parsing: value.text)?.unit, !unit.isEmpty,
               let base = spec.field(named: "base") {
                leaf = .and(leaf, .test(base, .textIn([Quantity.baseUnit(unit)]), span: value.span))
            }
            return op == .notEqual ? .not(leaf) : leaf
        }
    }

    /// `=` and `in`: the values read by the field's type.
    mutating func equality(_ field: FieldSpec, _ values: [Literal], _ spec: TargetSpec) throws(QueryError) -> Test {
        switch field.type {
        case .text, .list:
            noteUnknownNames(field, values, spec)
            // Organisations compare by canonical name (organisations.txt): 市国资委 finds
            // 上海市国资委 too.
            if [.source, .sources, .subject, .subjectKey].contains(field.field) {
                return .textIn(values.flatMap { Lexicon.current.names(sameAs: $0.text) })
            }
            return .textIn(values.map(\.text))
        case .integer, .number:
            var numbers: [Double] = []
            for value in values { numbers.append(try number(field, value)) }
            return .numberIn(numbers)
        case .date:
            var dates: [BulletinDate] = []
            for value in values { dates.append(try date(field, value)) }
            return .dateIn(dates)
        }
    }

    func ordering(_ field: FieldSpec, _ op: Comparison, _ value: Literal, _ opSpan: Range<Int>, _ spec: TargetSpec) throws(QueryError) -> Test {
        switch field.type {
        case .integer, .number:
            return .numberOrder(op, try number(field, value))
        case .date:
            return .dateOrder(op, try date(field, value))
        case .list:
            throw QueryError(.orderingList(op.rawValue, field: field.name), span: opSpan)
        case .text:
            if Quantity(parsing: value.text) != nil {
                let hint = spec.field(named: "date") != nil && BulletinDate(parsing: value.text) != nil
                    ? "date \(op.rawValue) \(value.text)" : nil
                throw QueryError(.numberAgainstText(op.rawValue, field: field.name, value: value.text, hint: hint), span: value.span)
            }
            return .textOrder(op, value.text)
        }
    }

    func number(_ field: FieldSpec, _ value: Literal) throws(QueryError) -> Double {
        guard let quantity = Quantity(parsing: value.text) else {
            throw QueryError(.notANumber(field: field.name, value: value.text), span: value.span)
        }
        // `amount` takes a unit (1000亿元): compared in base units, and the base must match.
        guard quantity.unit.isEmpty || field.field == .amount else {
            throw QueryError(.unitNotAllowed(field: field.name, value: value.text, unit: quantity.unit), span: value.span)
        }
        // An amount in a unit no figure can have (100亿块) would match nothing, silently.
        if !quantity.unit.isEmpty, !Lexicon.current.units.contains(quantity.unit) {
            // A suggestion only where the unit is a known one with a character more or less.
            let near = Lexicon.current.units.first { $0.count > 1 && ($0.hasPrefix(quantity.unit) || quantity.unit.hasPrefix($0)) }
            throw QueryError(.unknownUnit(value: value.text, unit: quantity.unit, suggestion: near), span: value.span)
        }
        return quantity.amount
    }

    func date(_ field: FieldSpec, _ value: Literal) throws(QueryError) -> BulletinDate {
        guard let date = BulletinDate(parsing: value.text) else {
            throw QueryError(.notADate(field: field.name, value: value.text), span: value.span)
        }
        return date
    }

    /// The caret for a pattern error: at the offending byte when the pattern was written
    /// without escapes, else under the whole value.
    func patternSpan(_ value: Literal, _ offset: Int) -> Range<Int> {
        let bytes = value.text.utf8.count
        let start: Int
        switch value.span.count {
        case bytes: start = value.span.lowerBound
        case bytes + 2: start = value.span.lowerBound + 1
        default: return value.span
        }
        let at: Int = start + min(offset, max(0, bytes - 1))
        return at..<(at + 1)
    }

    /// `section = 金融工做` where no section has that name gives zero rows; say so, with the
    /// closest names that exist (LANGUAGE.md "Errors").
    mutating func noteUnknownNames(_ field: FieldSpec, _ values: [Literal], _ spec: TargetSpec) {
        let kind: String
        switch (spec.target, field.field) {
        case (.sections, .name), (_, .section): kind = "section"
        case (.sources, .name), (.articles, .source), (.articles, .sources): kind = "source"
        default: return
        }
        let known = kind == "section" ? corpus.names.sections : corpus.names.sources
        // Another name of the same organisation (organisations.txt) is found too.
        let unknown = values.filter { value in
            !known.contains(value.text)
                && !(kind == "source" && Lexicon.current.names(sameAs: value.text).contains(where: { known.contains($0) }))
        }
        // What the name that matches nothing does to the result, said only when it is sure.
        let outcome: String?
        if negations % 2 == 1 {
            outcome = unknown.count == values.count ? ", so the test excludes nothing" : nil
        } else if unknown.count < values.count {
            outcome = nil
        } else {
            outcome = negations == 0 && alternatives == 0 ? "; the result is empty" : ", so the test matches nothing"
        }
        for value in unknown {
            notes.append(QueryNote(message: Names.unknownMessage(kind, value.text, known: known, outcome: outcome), span: value.span))
        }
    }
}

/// Messages about names that exist nowhere in the corpus.
enum Names {
    /// Whether `needle`'s bytes occur in `hay`'s. Foundation's `String.contains` traps on text
    /// with NUL characters (a fuzzed `metric 营业收入\0\0…`), and is slow on long values.
    static func byteContains(_ hay: String, _ needle: String) -> Bool {
        byteContains(Array(hay.utf8), Array(needle.utf8))
    }

    static func byteContains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        needle.count <= hay.count && hay.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { jb_memmem(h.baseAddress, h.count, $0.baseAddress, $0.count) >= 0 }
        }
    }

    /// `no section is named 'X'; closest: A, B` (names containing X first, then by edit distance).
    static func unknownMessage(_ kind: String, _ value: String, known: Set<String>,
                               outcome: String? = "; the result is empty") -> String {
        // Byte search, each way only where the lengths allow it: a 2,000-character value
        // against a million names took minutes with String.contains.
        let valueBytes = Array(value.utf8)
        let containing: [String] = known.filter { name in
            let bytes = Array(name.utf8)
            return byteContains(bytes, valueBytes) || byteContains(valueBytes, bytes)
        }.sorted()
        let contained = Set(containing)
        let chars = Array(value)
        let limit = max(1, chars.count / 2)
        var scored: [(name: String, distance: Int)] = []
        for name in known where !contained.contains(name) {
            if let d = Suggest.distance(chars, Array(name), atMost: limit) { scored.append((name, d)) }
        }
        scored.sort { a, b in a.distance != b.distance ? a.distance < b.distance : a.name < b.name }
        let closest = Array((containing + scored.map(\.name)).prefix(5))
        var message = "no \(kind) is named '\(QueryError.shown(value))'" + (outcome ?? "")
        if !closest.isEmpty { message += "; closest: " + closest.map(QueryError.shown).joined(separator: ", ") }
        return message
    }
}
