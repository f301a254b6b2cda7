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
    public var field: Name
    public var descending: Bool
}

/// `select …`: target, fields (nil: all), condition, ordering and window.
public struct SelectStatement: Equatable, Sendable {
    public var target: Name
    public var fields: [Name]?
    public var condition: Condition?
    public var order: [OrderKey] = []
    public var limit: Int?
    public var offset: Int?
}

/// A parsed statement, before any name is checked against the schema.
public enum Statement: Equatable, Sendable {
    case select(SelectStatement)
    /// `count <target> [where …] [by field]`.
    case count(target: Name, condition: Condition?, by: Name?)
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

/// `metric 营业收入 …`: the figures of a metric, optionally one row per key.
public struct MetricStatement: Equatable, Sendable {
    public var name: Literal
    public var condition: Condition?
    public var by: Name?
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
            if let fields = s.fields { text += " " + fields.map { quoteIfNeeded($0.text) }.joined(separator: ", ") }
            if let condition = s.condition { text += " where " + condition.canonicalText }
            if !s.order.isEmpty {
                text += " order by " + s.order.map { quoteIfNeeded($0.field.text) + ($0.descending ? " desc" : "") }.joined(separator: ", ")
            }
            if let limit = s.limit { text += " limit \(limit)" }
            if let offset = s.offset { text += " offset \(offset)" }
            return text
        case .count(let target, let condition, let by):
            var text = "count \(quoteIfNeeded(target.text))"
            if let condition { text += " where " + condition.canonicalText }
            if let by { text += " by " + quoteIfNeeded(by.text) }
            return text
        case .show(let id, _):
            return "show \(id)"
        case .metric(let m):
            var text = "metric \(quoteIfNeeded(m.name.text))"
            if let condition = m.condition { text += " where " + condition.canonicalText }
            if let by = m.by { text += " by " + quoteIfNeeded(by.text) }
            if !m.order.isEmpty {
                text += " order by " + m.order.map { quoteIfNeeded($0.field.text) + ($0.descending ? " desc" : "") }.joined(separator: ", ")
            }
            if let limit = m.limit { text += " limit \(limit)" }
            if let offset = m.offset { text += " offset \(offset)" }
            return text
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
            s.order = s.order.map { OrderKey(field: Name(text: $0.field.text, span: 0..<0), descending: $0.descending) }
            return .select(s)
        case .count(let target, let condition, let by):
            return .count(target: Name(text: target.text, span: 0..<0), condition: condition?.withoutSpans,
                          by: by.map { Name(text: $0.text, span: 0..<0) })
        case .show(let id, _):
            return .show(id: id, span: 0..<0)
        case .metric(var m):
            m.name.span = 0..<0
            m.condition = m.condition?.withoutSpans
            m.by = m.by.map { Name(text: $0.text, span: 0..<0) }
            m.order = m.order.map { OrderKey(field: Name(text: $0.field.text, span: 0..<0), descending: $0.descending) }
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
                                 "width", "window"]
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
