/// `count articles by year, section order by count desc limit 5`.
public struct CountStatement: Equatable, Sendable {
    public var target: Name
    public var condition: Condition?
    /// The keys, in order; empty for a single total.
    public var by: [Name] = []
    /// Keys may name a `by` field or `count`.
    public var order: [OrderKey] = []
    public var limit: Int?
    public var offset: Int?
}

/// `trend 新质生产力 where section = 金融工作 by year`.
public struct TrendStatement: Equatable, Sendable {
    /// The word, or the pattern between slashes.
    public var pattern: Literal
    public var isRegex: Bool
    public var condition: Condition?
    public var by: Name
}

/// `keywords where year = 2024 vs year = 2023 min 5 limit 20 negative`.
public struct KeywordsStatement: Equatable, Sendable {
    /// The articles studied (A).
    public var focus: Condition
    /// Where the condition of A stands (a side that selects nothing is an error there).
    public var focusSpan: Range<Int>
    /// The articles compared with (B); nil: every article A does not select.
    public var reference: Condition?
    public var referenceSpan: Range<Int>?
    /// Fewest occurrences in A (in B with `negative`) for a word to be listed.
    public var minimum: Int?
    public var limit: Int?
    public var offset: Int?
    /// List the words under-represented in A instead.
    public var negative = false
}

/// The functions `select … group by` computes over each group.
public enum AggregateFunction: String, CaseIterable, Sendable {
    case count, sum, avg, min, max
}

/// `count(*)`, `count(distinct f)`, `sum(amount)` …
public struct Aggregate: Equatable, Sendable {
    public var function: AggregateFunction
    /// The field; nil for `*`.
    public var argument: Name?
    public var distinct = false
    /// The whole call, for errors.
    public var span: Range<Int>

    /// As the column is headed and as it prints: `sum(amount)`, `count(distinct subject)`.
    public var label: String {
        function.rawValue + "(" + (distinct ? "distinct " : "") + (argument.map { quoteIfNeeded($0.text) } ?? "*") + ")"
    }

    var withoutSpans: Aggregate {
        Aggregate(function: function, argument: argument.map { Name(text: $0.text, span: 0..<0) }, distinct: distinct, span: 0..<0)
    }
}

/// An aggregate in a select list and its place among the columns.
public struct SelectAggregate: Equatable, Sendable {
    public var call: Aggregate
    /// Column position in the select list (fields and aggregates together).
    public var position: Int
}

extension SelectStatement {
    /// The select list as written: fields and aggregates in column order.
    var listText: String? {
        guard fields != nil || !aggregates.isEmpty else { return nil }
        var items = (fields ?? []).map { quoteIfNeeded($0.text) }
        for a in aggregates.sorted(by: { $0.position < $1.position }) {
            items.insert(a.call.label, at: min(a.position, items.count))
        }
        return items.joined(separator: ", ")
    }
}

extension OrderKey {
    /// The key as written: a field, or an aggregate call.
    var text: String { (aggregate?.label ?? quoteIfNeeded(field.text)) + (descending ? " desc" : "") }

    var withoutSpans: OrderKey {
        OrderKey(field: Name(text: field.text, span: 0..<0), descending: descending, aggregate: aggregate?.withoutSpans)
    }
}

extension Statement {
    /// `order by …` as written, or nothing.
    static func orderText(_ keys: [OrderKey]) -> String {
        keys.isEmpty ? "" : " order by " + keys.map(\.text).joined(separator: ", ")
    }

    /// ` limit N` and ` offset M` where set.
    static func windowText(_ limit: Int?, _ offset: Int?) -> String {
        (limit.map { " limit \($0)" } ?? "") + (offset.map { " offset \($0)" } ?? "")
    }

    static func countText(_ c: CountStatement) -> String {
        var text = "count \(quoteIfNeeded(c.target.text))"
        if let condition = c.condition { text += " where " + condition.canonicalText }
        if !c.by.isEmpty { text += " by " + c.by.map { quoteIfNeeded($0.text) }.joined(separator: ", ") }
        return text + orderText(c.order) + windowText(c.limit, c.offset)
    }

    static func trendText(_ t: TrendStatement) -> String {
        "trend " + (t.isRegex ? "/" + t.pattern.text.replacingSlashes() + "/" : quoteIfNeeded(t.pattern.text))
            + (t.condition.map { " where " + $0.canonicalText } ?? "") + " by " + quoteIfNeeded(t.by.text)
    }

    static func keywordsText(_ k: KeywordsStatement) -> String {
        var text = "keywords where " + k.focus.canonicalText
        if let reference = k.reference { text += " vs " + reference.canonicalText }
        if let minimum = k.minimum { text += " min \(minimum)" }
        text += windowText(k.limit, k.offset)
        return text + (k.negative ? " negative" : "")
    }

    static func bare(_ n: Name) -> Name { Name(text: n.text, span: 0..<0) }
}
