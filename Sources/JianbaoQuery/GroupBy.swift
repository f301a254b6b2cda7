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

    /// The groups of one part of the rows, in the order first met.
    struct PartialGroups {
        var index: [[GroupKey]: Int] = [:]
        var keys: [[Value]] = []
        var tallies: [[Tally]] = []

        mutating func slot(_ key: [Value], _ aggregates: Int) -> Int {
            let hashed = key.map(GroupKey.init)
            if let known = index[hashed] { return known }
            index[hashed] = keys.count
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
        let parts = CorpusLoader.parallelMap(chunks.count) { c -> Result<PartialGroups, QueryError> in
            if isInterrupted() { return .failure(QueryError(.interrupted, span: 0..<0)) }
            let rows = source.rows(of: chunks[c])
            let verdicts: [Bool]?
            do throws(QueryError) { verdicts = try filter?.verdicts(rows) } catch { return .failure(error) }
            var part = PartialGroups()
            // A figure's base is made from its unit code: made again only when the code changes.
            var lastCode = UInt32.max, base = ""
            for (n, row) in rows.enumerated() where verdicts?[n] ?? true {
                let g = part.slot(plan.groupBy.map { Self.cell(source, $0.field, row) }, plan.aggregates.count)
                if needsBase, source.figureTable[row.issue][row.index].unitCode & 0xFFFF != lastCode {
                    lastCode = source.figureTable[row.issue][row.index].unitCode & 0xFFFF
                    base = source.figureTable[row.issue][row.index].base
                }
                for (k, aggregate) in plan.aggregates.enumerated() {
                    part.tallies[g][k].add(aggregate.field.map { Self.cell(source, $0.field, row) }, base: base,
                                           distinct: aggregate.distinct)
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

extension Evaluator {
    /// A field of a row, as grouping compares it; a figure's own fields are read straight from
    /// the figure (the general path copies the whole figure and its issue per field).
    @inline(__always)
    static func cell(_ source: RowSource, _ field: Field, _ row: RowRef) -> Value {
        guard source.target == .figures else { return source.value(field, row).normalized }
        switch field {
        case .subject:
            let subject = source.figureTable[row.issue][row.index].subject
            return subject.isEmpty ? .null : .text(subject)
        case .metric: return .text(source.figureTable[row.issue][row.index].metric)
        case .amount: return .number(source.figureTable[row.issue][row.index].amount)
        case .value: return .number(source.figureTable[row.issue][row.index].value)
        case .base: return .text(source.figureTable[row.issue][row.index].base)
        case .period: return source.figureTable[row.issue][row.index].period.map { .integer($0) } ?? .null
        case .change: return source.figureTable[row.issue][row.index].change.map { .number($0) } ?? .null
        default: return source.value(field, row).normalized
        }
    }
}

/// A value as a dictionary key, text hashed and compared as UTF-8 bytes: `String`'s own hash
/// normalises CJK text first, which made hashing most of a group by's time. (Text that differs
/// only in normalisation is two groups here, as it is two values for `=`.)
struct GroupKey: Hashable {
    let value: Value

    init(_ value: Value) { self.value = value }

    func hash(into hasher: inout Hasher) {
        if case .text(var s) = value {
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        } else {
            hasher.combine(value)
        }
    }

    static func == (a: GroupKey, b: GroupKey) -> Bool {
        if case .text(let x) = a.value, case .text(let y) = b.value { return ValueOrder.compareText(x, y) == 0 }
        return a.value == b.value
    }
}

/// What an aggregate has seen of one group. Absent values are skipped, as SQL does.
struct Tally {
    var rows = 0
    var present = 0
    var sum = 0.0
    var allIntegers = true
    var least: Value?
    var greatest: Value?
    var distinct: Set<GroupKey> = []
    /// The units of the amounts summed (a sum over several is refused).
    var bases: Set<String> = []
    /// The unit last put in `bases`: runs of one unit are the rule, and a set insertion per
    /// row would cost a hash each.
    var lastBase = ""

    mutating func add(_ value: Value?, base: String, distinct keep: Bool) {
        rows += 1
        guard let value, value != .null else { return }
        present += 1
        switch value {
        case .integer(let n): sum += Double(n)
        case .number(let x): sum += x; allIntegers = false
        default: allIntegers = false
        }
        if least.map({ ValueOrder.compare(value, $0) < 0 }) ?? true { least = value }
        if greatest.map({ ValueOrder.compare(value, $0) > 0 }) ?? true { greatest = value }
        if keep { distinct.insert(GroupKey(value)) }
        if !base.isEmpty, base != lastBase {
            bases.insert(base)
            lastBase = base
        }
    }

    /// Adds what another part of the rows saw.
    mutating func merge(_ other: Tally) {
        rows += other.rows
        present += other.present
        sum += other.sum
        allIntegers = allIntegers && other.allIntegers
        if let x = other.least, least.map({ ValueOrder.compare(x, $0) < 0 }) ?? true { least = x }
        if let x = other.greatest, greatest.map({ ValueOrder.compare(x, $0) > 0 }) ?? true { greatest = x }
        distinct.formUnion(other.distinct)
        bases.formUnion(other.bases)
    }

    func result(_ aggregate: AggregateSpec) -> Value {
        switch aggregate.function {
        case .count:
            guard aggregate.field != nil else { return .integer(rows) }
            return .integer(aggregate.distinct ? distinct.count : present)
        case .sum:
            guard present > 0 else { return .null }
            if allIntegers && aggregate.field?.type == .integer && abs(sum) < 9e15 { return .integer(Int(sum)) }
            // Decimals added in binary pick up noise (399.19999999999993); amounts in base units
            // past a billion are whole numbers in practice and keep every digit.
            return .number(abs(sum) < 1e9 ? Evaluator.rounded(sum, 6) : sum)
        case .avg:
            return present > 0 ? .number(Evaluator.rounded(sum / Double(present), 4)) : .null
        case .min: return least ?? .null
        case .max: return greatest ?? .null
        }
    }
}
