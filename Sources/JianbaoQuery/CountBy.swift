import JianbaoCorpus

/// `count … by f, …` after resolution.
public struct CountPlan: Sendable {
    public var target: Target
    public var predicate: Predicate?
    public var by: [FieldSpec]
    /// Keys of `order by`: an index into `by`, or nil for the count.
    public var order: [(key: Int?, descending: Bool)]
    public var limit: Int?
    public var offset: Int?
}

extension Resolver {
    mutating func resolveCount(_ c: CountStatement) throws(QueryError) -> Plan {
        let spec = try target(c.target)
        var by: [FieldSpec] = []
        for name in c.by {
            let field = try self.field(name, of: spec)
            if by.contains(where: { $0.field == field.field }) { throw QueryError(.duplicateField(name.text), span: name.span) }
            by.append(field)
        }
        var order: [(key: Int?, descending: Bool)] = []
        for key in c.order {
            if key.aggregate == nil, key.field.text.lowercased() == "count" {
                order.append((nil, key.descending))
            } else if key.aggregate == nil, let k = by.firstIndex(where: { $0.name == key.field.text.lowercased() }) {
                order.append((k, key.descending))
            } else {
                throw QueryError(.countOrderKey(key.field.text, suggestion: Suggest.nearest(key.field.text, in: by.map(\.name) + ["count"])),
                                 span: key.field.span)
            }
        }
        return .count(CountPlan(target: spec.target, predicate: try c.condition.map { c throws(QueryError) in try predicate(c, spec) },
                                by: by, order: order, limit: c.limit, offset: c.offset))
    }
}

extension Evaluator {
    /// `count … by f1, f2`: one row per combination of values (a list field credits each of
    /// its values; a row without any counts under the absent value), most rows first, ties by
    /// the values, unless `order by` says otherwise.
    func runCount(_ plan: CountPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let source = RowSource(corpus: corpus, target: plan.target)
        guard !plan.by.isEmpty else {
            let n = try plan.predicate.map { try count(source, $0) } ?? source.count()
            try formatter.begin(columns: ["count"], to: out)
            try formatter.row([.integer(n)], to: out)
            return try formatter.end(to: out)
        }
        var counts: [[GroupKey]: Int] = [:]
        for row in try matching(source, plan.predicate) {
            var keys: [[Value]] = [[]]
            for field in plan.by {
                let values: [Value]
                if case .list(let items) = source.value(field.field, row).normalized {
                    values = items.isEmpty ? [.null] : Set(items).map { .text($0) }
                } else {
                    values = [source.value(field.field, row).normalized]
                }
                keys = keys.flatMap { key in values.map { key + [$0] } }
            }
            for key in keys { counts[key.map(GroupKey.init), default: 0] += 1 }
        }
        if isInterrupted() { throw interrupted }
        let rows = counts.map { (key: $0.key.map(\.value), value: $0.value) }.sorted { a, b in
            for (key, descending) in plan.order {
                let c = key.map { ValueOrder.compare(a.key[$0], b.key[$0]) } ?? (a.value == b.value ? 0 : a.value < b.value ? -1 : 1)
                if c != 0 { return descending ? c > 0 : c < 0 }
            }
            if a.value != b.value { return a.value > b.value }
            for k in a.key.indices {
                let c = ValueOrder.compare(a.key[k], b.key[k])
                if c != 0 { return c < 0 }
            }
            return false
        }
        try formatter.begin(columns: plan.by.map(\.name) + ["count"], to: out)
        for (key, n) in window(rows, plan.limit, plan.offset) { try formatter.row(key + [.integer(n)], to: out) }
        try formatter.end(to: out)
    }
}
