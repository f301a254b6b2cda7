import JianbaoCorpus

/// One aggregate of `select … group by`, checked.
public struct AggregateSpec: Sendable {
    public var function: AggregateFunction
    /// nil for `count(*)`.
    public var field: FieldSpec?
    public var distinct: Bool
    public var label: String
    public var span: Range<Int>
}

/// `select … group by` after resolution: output columns are group fields or aggregates.
public struct AggregatePlan: Sendable {
    public enum Column: Sendable {
        /// A group-by field, by its index in `groupBy`.
        case group(Int)
        /// An aggregate, by its index in `aggregates`.
        case aggregate(Int)
    }
    public var target: Target
    public var predicate: Predicate?
    public var groupBy: [FieldSpec]
    public var aggregates: [AggregateSpec]
    public var columns: [(name: String, column: Column)]
    public var order: [(column: Column, descending: Bool)]
    public var limit: Int?
    public var offset: Int?
}

extension Resolver {
    /// `select … count(*), sum(x) … group by …`: fields outside an aggregate must be grouped
    /// on; sums and averages take numbers, min and max numbers or dates; lists are neither
    /// grouped on nor aggregated.
    mutating func resolveAggregate(_ s: SelectStatement) throws(QueryError) -> Plan {
        let spec = try target(s.target)
        var groupBy: [FieldSpec] = []
        for name in s.groupBy {
            let field = try self.field(name, of: spec)
            if field.type == .list { throw QueryError(.groupByList(field.name), span: name.span) }
            if groupBy.contains(where: { $0.field == field.field }) { throw QueryError(.duplicateField(name.text), span: name.span) }
            groupBy.append(field)
        }
        var aggregates: [AggregateSpec] = []
        func check(_ call: Aggregate) throws(QueryError) -> AggregateSpec {
            var field: FieldSpec?
            if let argument = call.argument {
                let f = try self.field(argument, of: spec)
                let allowed: Bool
                switch call.function {
                case .count: allowed = f.type != .list
                case .sum, .avg: allowed = f.type == .number || f.type == .integer
                case .min, .max: allowed = f.type == .number || f.type == .integer || f.type == .date
                }
                if !allowed {
                    throw QueryError(.aggregateType(call.function.rawValue, field: f.name, type: f.type.rawValue), span: argument.span)
                }
                field = f
            }
            return AggregateSpec(function: call.function, field: field, distinct: call.distinct, label: call.label, span: call.span)
        }
        var columns: [(name: String, column: AggregatePlan.Column)] = []
        var plain = s.fields ?? []
        if s.fields == nil && s.aggregates.isEmpty { plain = s.groupBy }
        let total = plain.count + s.aggregates.count
        var fieldIterator = plain.makeIterator()
        for position in 0..<total {
            if let a = s.aggregates.first(where: { $0.position == position }) {
                aggregates.append(try check(a.call))
                columns.append((a.call.label, .aggregate(aggregates.count - 1)))
            } else if let name = fieldIterator.next() {
                let field = try self.field(name, of: spec)
                guard let k = groupBy.firstIndex(where: { $0.field == field.field }) else {
                    throw QueryError(.notGrouped(field.name), span: name.span)
                }
                columns.append((field.name, .group(k)))
            }
        }
        var order: [(column: AggregatePlan.Column, descending: Bool)] = []
        for key in s.order {
            if let call = key.aggregate {
                guard let k = aggregates.firstIndex(where: { $0.label == call.label }) else {
                    throw QueryError(.orderNotInSelect(call.label), span: call.span)
                }
                order.append((.aggregate(k), key.descending))
            } else {
                let field = try self.field(key.field, of: spec)
                guard let k = groupBy.firstIndex(where: { $0.field == field.field }) else {
                    throw QueryError(.notGrouped(field.name), span: key.field.span)
                }
                order.append((.group(k), key.descending))
            }
        }
        return .aggregate(AggregatePlan(target: spec.target, predicate: try s.condition.map { c throws(QueryError) in try predicate(c, spec) },
                                        groupBy: groupBy, aggregates: aggregates, columns: columns, order: order,
                                        limit: s.limit, offset: s.offset))
    }
}

extension Evaluator {
    /// The groups of one part of the rows, in the order first met.
    struct PartialGroups {
        var index: [[GroupKey]: Int] = [:]
        /// The same for a single key, which is looked up without making an array per row.
        var single: [GroupKey: Int] = [:]
        /// The same for a single interned key (`GroupCellReader.code`): slot + 1 by code + 1.
        var byCode: [Int32] = []
        var keys: [[Value]] = []
        var tallies: [[Tally]] = []

        /// The slot of the group whose key has interned `code`; `key` makes its value when
        /// the group is new.
        mutating func slot(code: Int32, _ aggregates: Int, key: () -> Value) -> Int {
            let c = Int(code) + 1
            if c >= byCode.count { byCode += [Int32](repeating: 0, count: max(c + 1 - byCode.count, byCode.count)) }
            if byCode[c] > 0 { return Int(byCode[c]) - 1 }
            let g = add([key()], aggregates)
            byCode[c] = Int32(g + 1)
            return g
        }

        mutating func slot(_ key: [Value], _ aggregates: Int) -> Int {
            if key.count == 1 { return slot(single: key[0], aggregates) }
            let hashed = key.map(GroupKey.init)
            if let known = index[hashed] { return known }
            index[hashed] = keys.count
            return add(key, aggregates)
        }

        mutating func slot(single key: Value, _ aggregates: Int) -> Int {
            if let known = single[GroupKey(key)] { return known }
            single[GroupKey(key)] = keys.count
            return add([key], aggregates)
        }

        private mutating func add(_ key: [Value], _ aggregates: Int) -> Int {
            keys.append(key)
            tallies.append([Tally](repeating: Tally(), count: aggregates))
            return keys.count - 1
        }
    }

    func runAggregate(_ plan: AggregatePlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let source = RowSource(corpus: corpus, target: plan.target)
        let needsBase = plan.aggregates.contains { ($0.function == .sum || $0.function == .avg) && $0.field?.field == .amount }
        // Each group of issues filters and tallies its rows on its own core; the parts merge.
        let isInterrupted = self.isInterrupted
        let filter = try plan.predicate.map { try RowFilter(source, $0, isInterrupted: isInterrupted) }
        let chunks = source.groups
        let candidates = source.narrowed(by: plan.predicate)
        let extremes = plan.aggregates.map { $0.function == .min || $0.function == .max }
        let parts = Parallel.map(chunks.count) { c -> Result<PartialGroups, QueryError> in
            if isInterrupted() { return .failure(QueryError(.interrupted, span: 0..<0)) }
            let rows = candidates.rows(of: chunks[c])
            let verdicts: [Bool]?
            do throws(QueryError) { verdicts = try filter?.verdicts(rows) } catch { return .failure(error) }
            var part = PartialGroups()
            var cells = GroupCellReader(source)
            let single = plan.groupBy.count == 1 ? plan.groupBy[0].field : nil
            for (n, row) in rows.enumerated() where verdicts?[n] ?? true {
                let g: Int
                if let single {
                    if let code = cells.code(single, row) {
                        g = part.slot(code: code, plan.aggregates.count) { cells.value(single, row) }
                    } else {
                        g = part.slot(single: cells.value(single, row), plan.aggregates.count)
                    }
                } else {
                    g = part.slot(plan.groupBy.map { cells.value($0.field, row) }, plan.aggregates.count)
                }
                let base = needsBase ? cells.base(row) : ""
                for (k, aggregate) in plan.aggregates.enumerated() {
                    part.tallies[g][k].add(aggregate.field.map { cells.value($0.field, row) }, base: base, distinct: aggregate.distinct,
                                           extremes: extremes[k])
                }
            }
            return .success(part)
        }
        if isInterrupted() { throw interrupted }
        var all = PartialGroups()
        // Aggregates over no groups give one row, even over no rows (count 0), as in SQL.
        if plan.groupBy.isEmpty { _ = all.slot([], plan.aggregates.count) }
        for part in parts {
            let part = try part.get()
            for (p, key) in part.keys.enumerated() {
                let g = all.slot(key, plan.aggregates.count)
                for k in plan.aggregates.indices { all.tallies[g][k].merge(part.tallies[p][k]) }
            }
        }
        let keys = all.keys, tallies = all.tallies
        var results: [[Value]] = []
        for g in keys.indices {
            var values: [Value] = []
            for (k, aggregate) in plan.aggregates.enumerated() {
                let tally = tallies[g][k]
                if (aggregate.function == .sum || aggregate.function == .avg), aggregate.field?.field == .amount, tally.bases.count > 1 {
                    throw QueryError(.mixedBases(aggregate.label, bases: tally.bases.sorted()), span: aggregate.span)
                }
                values.append(tally.result(aggregate))
            }
            results.append(values)
        }
        func value(_ column: AggregatePlan.Column, _ g: Int) -> Value {
            switch column {
            case .group(let k): return keys[g][k]
            case .aggregate(let k): return results[g][k]
            }
        }
        var order = Array(keys.indices)
        order.sort { a, b in
            for (column, descending) in plan.order {
                let c = ValueOrder.compare(value(column, a), value(column, b))
                if c != 0 { return descending ? c > 0 : c < 0 }
            }
            for k in keys[a].indices {
                let c = ValueOrder.compare(keys[a][k], keys[b][k])
                if c != 0 { return c < 0 }
            }
            return false
        }
        try formatter.begin(columns: plan.columns.map(\.name), to: out)
        for g in window(order, plan.limit, plan.offset) {
            try formatter.row(plan.columns.map { value($0.column, g) }, to: out)
        }
        try formatter.end(to: out)
    }
}
