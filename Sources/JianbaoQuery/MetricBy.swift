import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// What `metric … by` groups on.
public enum MetricKey: String, CaseIterable, Sendable {
    case year, issue, section, subject
}

/// `metric X by key[, key]` after resolution.
public struct MetricByPlan: Sendable {
    public var predicate: Predicate
    /// One or two keys.
    public var keys: [MetricKey]
    public var order: [(field: FieldSpec, descending: Bool)]
    public var limit: Int?
    public var offset: Int?
}

extension Evaluator {
    /// `metric X by key[, key]`: one row per key (pair of keys) with the latest figure of that
    /// key (the last one in corpus order: later issues revise earlier ones), how many figures
    /// the key has, and the amount last, for `chart`. `year` is the figure's period, else its
    /// issue's year. With `year` among the keys, `prev` is the amount of the same subject's
    /// latest figure of the year before (in the same unit, under the same other key) and
    /// `growth` the percent change from it, beside the bulletin's own `change`.
    func runMetricBy(_ plan: MetricByPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let source = RowSource(corpus: corpus, target: .figures)
        func keyValue(_ key: MetricKey, _ row: RowRef) -> Value {
            switch key {
            case .year:
                let period = source.value(.period, row)
                return period == .null ? source.value(.year, row) : period
            case .issue: return source.value(.issue, row)
            case .section: return source.value(.section, row).normalized
            case .subject: return source.value(.subject, row)
            }
        }
        let yearIndex = plan.keys.firstIndex(of: .year)
        var groups: [[Value]: (row: RowRef, count: Int)] = [:]
        var keys: [[Value]] = []
        // Issues in corpus order, for ordering issue keys.
        var issueOrder: [Value: Int] = [:]
        // The latest amount per (other key, subject, base, year), for `prev`.
        var latest: [[Value]: Double] = [:]
        for row in try matching(source, plan.predicate) {
            let k = plan.keys.map { keyValue($0, row) }
            if let existing = groups[k] {
                groups[k] = (row, existing.count + 1)
            } else {
                groups[k] = (row, 1)
                keys.append(k)
            }
            if let i = plan.keys.firstIndex(of: .issue), issueOrder[k[i]] == nil { issueOrder[k[i]] = issueOrder.count }
            if let y = yearIndex, let amount = Self.amount(source.value(.amount, row)) {
                latest[Self.seriesKey(k, y, source, row, year: k[y])] = amount
            }
        }
        keys.sort { a, b in
            for (i, key) in plan.keys.enumerated() {
                let c = key == .issue ? (issueOrder[a[i]]! == issueOrder[b[i]]! ? 0 : issueOrder[a[i]]! < issueOrder[b[i]]! ? -1 : 1)
                    : ValueOrder.compare(a[i], b[i])
                if c != 0 { return c < 0 }
            }
            return false
        }
        if !plan.order.isEmpty {
            keys.sort { a, b in
                for o in plan.order {
                    let c = ValueOrder.compare(source.value(o.field.field, groups[a]!.row).normalized,
                                               source.value(o.field.field, groups[b]!.row).normalized)
                    if c != 0 { return o.descending ? c > 0 : c < 0 }
                }
                return false
            }
        }
        var fields: [Field] = [.metric, .subject, .value, .unit, .change]
        if plan.keys.contains(.subject) {
            fields = plan.keys.contains(.year) ? [.metric, .value, .unit, .change] : [.metric, .period, .value, .unit, .change]
        }
        let extra = yearIndex == nil ? [] : ["prev", "growth"]
        try formatter.begin(columns: plan.keys.map(\.rawValue) + fields.map(\.rawValue) + extra + ["figures", "amount"], to: out)
        for k in window(keys, plan.limit, plan.offset) {
            let (row, count) = groups[k]!
            var cells = k + fields.map { source.value($0, row) }
            if let y = yearIndex {
                var prev: Double?
                if case .integer(let year) = k[y] { prev = latest[Self.seriesKey(k, y, source, row, year: .integer(year - 1))] }
                cells.append(prev.map { .amount($0, base: source.value(.base, row).plainText) } ?? .null)
                if let prev, prev != 0, let amount = Self.amount(source.value(.amount, row)) {
                    cells.append(.number(Self.rounded((amount - prev) / abs(prev) * 100, 2)))
                } else {
                    cells.append(.null)
                }
            }
            try formatter.row(cells + [.integer(count), source.value(.amount, row)], to: out)
        }
        try formatter.end(to: out)
    }

    /// The number of an amount cell.
    private static func amount(_ value: Value) -> Double? {
        switch value {
        case .amount(let x, _), .number(let x): return x
        default: return nil
        }
    }

    /// The key under which a figure's amount is the series value of its subject: the other
    /// key (if any), the subject, the unit and the year.
    private static func seriesKey(_ k: [Value], _ yearIndex: Int, _ source: RowSource, _ row: RowRef, year: Value) -> [Value] {
        var key = k
        key[yearIndex] = year
        return key + [source.value(.subject, row), source.value(.base, row)]
    }
}
