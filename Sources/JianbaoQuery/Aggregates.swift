import JianbaoCorpus

/// Reads the fields of rows as grouping compares them; a figure's own fields straight from the
/// figure (the general path copies the whole figure and its issue per field), its base once
/// per unit code (making it compares the unit with ％, a slow comparison of non-ASCII text).
struct GroupCellReader {
    let source: RowSource
    /// The figures as columns, for the `figures` target.
    private let columns: FigureColumns?
    private var baseByCode: [UInt32: String] = [:]
    private var lastCode = UInt32.max, lastBase = ""

    init(_ source: RowSource) {
        self.source = source
        columns = source.target == .figures ? source.corpus.figures.columns : nil
    }

    @inline(__always)
    mutating func value(_ field: Field, _ row: RowRef) -> Value {
        guard let columns else { return source.value(field, row).normalized }
        let r = columns.row(issue: row.issue, index: row.index)
        switch field {
        case .subject:
            let code = columns.subject[r]
            return code < 0 ? .null : .text(columns.subjects[Int(code)])
        case .metric: return .text(columns.metrics[Int(columns.metric[r])])
        case .amount: return .amount(columns.amount[r], base: base(row))
        case .value: return .number(source.figureTable.record(issue: row.issue, index: row.index).value)
        case .base: return .text(base(row))
        case .period: return source.figureTable.record(issue: row.issue, index: row.index).period.map { .integer($0) } ?? .null
        case .change: return source.figureTable.record(issue: row.issue, index: row.index).change.map { .number($0) } ?? .null
        default: return source.value(field, row).normalized
        }
    }

    /// A small integer that stands for the field's value of this row when the field is kept
    /// interned (a figure's subject and metric: -1 for none), so that grouping on it indexes
    /// an array instead of hashing text; nil for every other field.
    @inline(__always)
    func code(_ field: Field, _ row: RowRef) -> Int32? {
        guard let columns else { return nil }
        switch field {
        case .subject: return columns.subject[columns.row(issue: row.issue, index: row.index)]
        case .metric: return columns.metric[columns.row(issue: row.issue, index: row.index)]
        default: return nil
        }
    }

    /// A figure's unit without magnitude.
    mutating func base(_ row: RowRef) -> String {
        let code = unitCode(row) & 0xFFFF
        // Runs of one unit are the rule: the last one answers without a lookup.
        if code == lastCode { return lastBase }
        lastCode = code
        if let known = baseByCode[code] {
            lastBase = known
            return known
        }
        let base = source.figureTable.record(issue: row.issue, index: row.index).base
        baseByCode[code] = base
        lastBase = base
        return base
    }

    @inline(__always)
    private func unitCode(_ row: RowRef) -> UInt32 {
        if let columns { return columns.unitCode[columns.row(issue: row.issue, index: row.index)] }
        return source.figureTable.record(issue: row.issue, index: row.index).unitCode
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

    /// Counts one row; `extremes` keeps the least and greatest value (for min and max only:
    /// comparing every value costs a group by over a million rows a third of its time).
    mutating func add(_ value: Value?, base: String, distinct keep: Bool, extremes: Bool) {
        rows += 1
        guard let value, value != .null else { return }
        present += 1
        switch value {
        case .integer(let n): sum += Double(n)
        case .number(let x), .amount(let x, _): sum += x; allIntegers = false
        default: allIntegers = false
        }
        if extremes {
            if least.map({ ValueOrder.compare(value, $0) < 0 }) ?? true { least = value }
            if greatest.map({ ValueOrder.compare(value, $0) > 0 }) ?? true { greatest = value }
        }
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
            // A sum of amounts in one unit is an amount (shown 20.9万亿元 on the screen).
            let total = abs(sum) < 1e9 ? Evaluator.rounded(sum, 6) : sum
            if aggregate.field?.field == .amount, bases.count == 1 { return .amount(total, base: bases.first!) }
            return .number(total)
        case .avg:
            guard present > 0 else { return .null }
            let mean = Evaluator.rounded(sum / Double(present), 4)
            return aggregate.field?.field == .amount && bases.count == 1 ? .amount(mean, base: bases.first!) : .number(mean)
        case .min: return least ?? .null
        case .max: return greatest ?? .null
        }
    }
}
