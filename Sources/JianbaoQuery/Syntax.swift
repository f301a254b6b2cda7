/// A name as the user typed it, with its span in the statement text.
public struct Name: Equatable, Sendable {
    public var text: String
    public var span: Range<Int>
}

/// A value in a condition: a bare word or a quoted string (quoting only matters to the lexer;
/// the resolver reads the text by the field's type).
public typealias Literal = Name

/// The comparison operators of a condition.
public enum Comparison: String, CaseIterable, Sendable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains, matches

    /// Whether the operator orders values (and so needs numbers, dates or text).
    public var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
}

/// A `where` condition before any name is checked.
public indirect enum Condition: Equatable, Sendable {
    /// `field op value`; `opSpan` is where the operator stands.
    case compare(field: Name, op: Comparison, value: Literal, opSpan: Range<Int>)
    /// `field in (a, b, …)`.
    case isIn(field: Name, values: [Literal])
    case not(Condition)
    case and(Condition, Condition)
    case or(Condition, Condition)
}

/// One key of `order by`.
public struct OrderKey: Equatable, Sendable {
    /// The field (for an aggregate, its label and span).
    public var field: Name
    public var descending: Bool
    /// `order by sum(amount)`: the aggregate named (select … group by only).
    public var aggregate: Aggregate? = nil
}

/// `select …`: target, fields (nil: all), condition, ordering and window.
public struct SelectStatement: Equatable, Sendable {
    public var target: Name
    public var fields: [Name]?
    public var condition: Condition?
    public var order: [OrderKey] = []
    public var limit: Int?
    public var offset: Int?
    /// `count(*)`, `sum(amount)` … in the select list.
    public var aggregates: [SelectAggregate] = []
    /// `group by f, …`.
    public var groupBy: [Name] = []
}

/// A parsed statement, before any name is checked against the schema.
public enum Statement: Equatable, Sendable {
    case select(SelectStatement)
    /// `count <target> [where …] [by field, …] [order by …] [limit N] [offset M]`.
    case count(CountStatement)
    /// `show <article-id>`.
    case show(id: Int, span: Range<Int>)
    /// `metric <name> [where …] [by key] [order by …] [limit N] [offset M]`.
    case metric(MetricStatement)
    /// `kwic <word>|/regex/ [where …] [width N] [limit N] [offset M]`.
    case kwic(KwicStatement)
    /// `freq words|chars|bigrams|ngrams N|sources|metrics [where …] [limit N] [offset M]`.
    case freq(FreqStatement)
    /// `collocates <word> [where …] [window N] [limit N] [offset M]`.
    case collocates(CollocatesStatement)
    /// `trend <word>|/regex/ [where …] by key`.
    case trend(TrendStatement)
    /// `keywords where … [vs …] [min N] [limit N] [offset M] [negative]`.
    case keywords(KeywordsStatement)
}

/// `kwic 科创板 width 10`: every occurrence in paragraph text, with its context.
public struct KwicStatement: Equatable, Sendable {
    /// The word, or the pattern between slashes.
    public var pattern: Literal
    public var isRegex: Bool
    public var condition: Condition?
    public var width: Int?
    public var limit: Int?
    public var offset: Int?
}

/// `freq words where year = 2023 limit 20`.
public struct FreqStatement: Equatable, Sendable {
    /// words, chars, bigrams, ngrams, sources or metrics (checked by the resolver).
    public var kind: Name
    /// N of `freq ngrams N` (2 to 6).
    public var n: Int?
    public var condition: Condition?
    public var limit: Int?
    public var offset: Int?
}

/// `collocates 科创板 window 5`.
public struct CollocatesStatement: Equatable, Sendable {
    public var word: Literal
    public var condition: Condition?
    public var window: Int?
    public var limit: Int?
    public var offset: Int?
}

/// `metric 营业收入 …`: the figures of a metric, optionally one row per key (or pair of keys).
public struct MetricStatement: Equatable, Sendable {
    public var name: Literal
    public var condition: Condition?
    /// None, one or two keys.
    public var by: [Name] = []
    public var order: [OrderKey] = []
    public var limit: Int?
    public var offset: Int?
}

// MARK: - Printing statements back as text

extension Statement {
    /// The statement written back as text; parsing it again gives the same tree (spans aside).
    public var canonicalText: String {
        switch self {
        case .select(let s):
            var text = "select \(quoteIfNeeded(s.target.text))"
            if let list = s.listText { text += " " + list }
            if let condition = s.condition { text += " where " + condition.canonicalText }
            if !s.groupBy.isEmpty { text += " group by " + s.groupBy.map { quoteIfNeeded($0.text) }.joined(separator: ", ") }
            return text + Self.orderText(s.order) + Self.windowText(s.limit, s.offset)
        case .count(let c):
            return Self.countText(c)
        case .trend(let t):
            return Self.trendText(t)
        case .keywords(let k):
            return Self.keywordsText(k)
        case .show(let id, _):
            return "show \(id)"
        case .metric(let m):
            var text = "metric \(quoteIfNeeded(m.name.text))"
            if let condition = m.condition { text += " where " + condition.canonicalText }
            if !m.by.isEmpty { text += " by " + m.by.map { quoteIfNeeded($0.text) }.joined(separator: ", ") }
            return text + Self.orderText(m.order) + Self.windowText(m.limit, m.offset)
        case .kwic(let k):
            var text = "kwic " + (k.isRegex ? "/" + k.pattern.text.replacingSlashes() + "/" : quoteIfNeeded(k.pattern.text))
            text += Self.tail(k.condition, [("width", k.width), ("limit", k.limit), ("offset", k.offset)])
            return text
        case .freq(let f):
            return "freq \(quoteIfNeeded(f.kind.text))" + (f.n.map { " \($0)" } ?? "") + Self.tail(f.condition, [("limit", f.limit), ("offset", f.offset)])
        case .collocates(let c):
            return "collocates \(quoteIfNeeded(c.word.text))"
                + Self.tail(c.condition, [("window", c.window), ("limit", c.limit), ("offset", c.offset)])
        }
    }

    /// ` where …` and the numeric options that are set, in the order given.
    private static func tail(_ condition: Condition?, _ options: [(String, Int?)]) -> String {
        var text = condition.map { " where " + $0.canonicalText } ?? ""
        for (keyword, value) in options { if let value { text += " \(keyword) \(value)" } }
        return text
    }

    /// The same statement with every span emptied, for comparing trees.
    public var withoutSpans: Statement {
        switch self {
        case .select(var s):
            s.target.span = 0..<0
            s.fields = s.fields?.map { Name(text: $0.text, span: 0..<0) }
            s.condition = s.condition?.withoutSpans
            s.order = s.order.map(\.withoutSpans)
            s.aggregates = s.aggregates.map { SelectAggregate(call: $0.call.withoutSpans, position: $0.position) }
            s.groupBy = s.groupBy.map(Self.bare)
            return .select(s)
        case .count(var c):
            c.target = Self.bare(c.target)
            c.condition = c.condition?.withoutSpans
            c.by = c.by.map(Self.bare)
            c.order = c.order.map(\.withoutSpans)
            return .count(c)
        case .trend(var t):
            t.pattern = Self.bare(t.pattern)
            t.condition = t.condition?.withoutSpans
            t.by = Self.bare(t.by)
            return .trend(t)
        case .keywords(var k):
            k.focus = k.focus.withoutSpans
            k.focusSpan = 0..<0
            k.reference = k.reference?.withoutSpans
            k.referenceSpan = k.reference == nil ? nil : 0..<0
            return .keywords(k)
        case .show(let id, _):
            return .show(id: id, span: 0..<0)
        case .metric(var m):
            m.name.span = 0..<0
            m.condition = m.condition?.withoutSpans
            m.by = m.by.map(Self.bare)
            m.order = m.order.map(\.withoutSpans)
            return .metric(m)
        case .kwic(var k):
            k.pattern.span = 0..<0
            k.condition = k.condition?.withoutSpans
            return .kwic(k)
        case .freq(var f):
            f.kind.span = 0..<0
            f.condition = f.condition?.withoutSpans
            return .freq(f)
        case .collocates(var c):
            c.word.span = 0..<0
            c.condition = c.condition?.withoutSpans
            return .collocates(c)
        }
    }
}

extension String {
    /// The pattern with each `/` escaped, for writing it between slashes.
    func replacingSlashes() -> String {
        var out = ""
        var escaped = false
        for c in self {
            if c == "/" && !escaped { out += "\\" }
            out.append(c)
            escaped = c == "\\" && !escaped
        }
        return out
    }
}

extension Condition {
    /// Binding strength: `or` < `and` < `not` < a comparison.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .not: return 3
        case .compare, .isIn: return 4
        }
    }

    /// Text that parses back to this tree: parentheses only where precedence or
    /// right-nesting needs them.
    public var canonicalText: String {
        func wrap(_ c: Condition, _ needed: Bool) -> String { needed ? "(\(c.canonicalText))" : c.canonicalText }
        switch self {
        case .compare(let field, let op, let value, _):
            return "\(quoteIfNeeded(field.text)) \(op.rawValue) \(quoteIfNeeded(value.text))"
        case .isIn(let field, let values):
            return "\(quoteIfNeeded(field.text)) in (" + values.map { quoteIfNeeded($0.text) }.joined(separator: ", ") + ")"
        case .not(let inner):
            return "not " + wrap(inner, inner.precedence < 3)
        case .and(let l, let r):
            return wrap(l, l.precedence < 2) + " and " + wrap(r, r.precedence <= 2)
        case .or(let l, let r):
            return wrap(l, l.precedence < 1) + " or " + wrap(r, r.precedence <= 1)
        }
    }

    var withoutSpans: Condition {
        func bare(_ n: Name) -> Name { Name(text: n.text, span: 0..<0) }
        switch self {
        case .compare(let f, let op, let v, _): return .compare(field: bare(f), op: op, value: bare(v), opSpan: 0..<0)
        case .isIn(let f, let vs): return .isIn(field: bare(f), values: vs.map(bare))
        case .not(let c): return .not(c.withoutSpans)
        case .and(let l, let r): return .and(l.withoutSpans, r.withoutSpans)
        case .or(let l, let r): return .or(l.withoutSpans, r.withoutSpans)
        }
    }
}

/// Quotes a name or value that would not lex back as one bare word (or that a keyword
/// position would misread).
func quoteIfNeeded(_ text: String) -> String {
    let stops: Set<Character> = [",", "(", ")", ";", "=", "<", ">", "!", "\"", "'", " ", "\t", "\n", "\r", "#", "\\"]
    let reserved: Set<String> = ["and", "or", "not", "in", "where", "order", "by", "limit", "offset", "asc", "desc", "from", "contains", "matches",
                                 "width", "window", "group", "vs", "negative", "distinct", "min"]
    if !text.isEmpty, !text.contains(where: { stops.contains($0) }), !text.hasPrefix("--"), !text.hasPrefix("/"),
       !reserved.contains(text.lowercased()), text != "*" {
        return text
    }
    var out = "\""
    for c in text {
        switch c {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(c)
        }
    }
    return out + "\""
}
