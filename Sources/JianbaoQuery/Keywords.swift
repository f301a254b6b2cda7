import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// `keywords` after resolution: two sets of articles (predicates on articles).
public struct KeywordsPlan: Sendable {
    public var focus: Predicate
    public var focusSpan: Range<Int>
    /// nil: every article the focus does not select.
    public var reference: Predicate?
    public var referenceSpan: Range<Int>?
    public var minimum: Int
    public var limit: Int?
    public var offset: Int?
    public var negative: Bool
}

extension Resolver {
    mutating func resolveKeywords(_ k: KeywordsStatement) throws(QueryError) -> Plan {
        let spec = Schema.spec(.articles)
        let focus = try predicate(k.focus, spec)
        let reference = try k.reference.map { c throws(QueryError) in try predicate(c, spec) }
        return .keywords(KeywordsPlan(focus: focus, focusSpan: k.focusSpan, reference: reference, referenceSpan: k.referenceSpan,
                                      minimum: k.minimum ?? 3, limit: k.limit, offset: k.offset, negative: k.negative))
    }
}

/// `keywords`: words whose frequency in one set of articles (A) differs from another (B), by
/// log-likelihood, with Hardie's Log Ratio as the size of the difference (docs/WORDS.md
/// "Keywords").
extension Evaluator {
    func runKeywords(_ plan: KeywordsPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let table = try wordTable()
        let focus = try articleSelection(plan.focus)!
        let a = try wordCounts(table, focus)
        let b: [Int]
        if let reference = plan.reference {
            b = try wordCounts(table, try articleSelection(reference)!)
        } else {
            // All other articles: the whole corpus less A.
            b = zip(table.counts, a).map { $0 - $1 }
        }
        let sizeA = a.reduce(0, +), sizeB = b.reduce(0, +)
        guard sizeA > 0 else { throw QueryError(.emptySide("the condition"), span: plan.focusSpan) }
        guard sizeB > 0 else {
            throw QueryError(.emptySide(plan.reference == nil ? "the rest of the corpus" : "the condition after vs"),
                             span: plan.referenceSpan ?? plan.focusSpan)
        }
        let stop = stopMask(table)
        var rows: [(id: Int, ll: Double, ratio: Double)] = []
        for id in 1..<table.texts.count where (a[id] > 0 || b[id] > 0) && !stop[id] {
            let over = Double(a[id]) * Double(sizeB) > Double(b[id]) * Double(sizeA)
            guard over != plan.negative, (plan.negative ? b[id] : a[id]) >= plan.minimum else { continue }
            let ll = Self.keynessLL(a[id], b[id], sizeA, sizeB)
            guard ll >= Self.significance else { continue }
            rows.append((id, ll, Self.logRatio(a[id], b[id], sizeA, sizeB)))
        }
        if isInterrupted() { throw interrupted }
        rows.sort { x, y in
            if x.ll != y.ll { return x.ll > y.ll }
            return ValueOrder.compareText(table.texts[x.id], table.texts[y.id]) < 0
        }
        try formatter.begin(columns: ["word", "a", "b", "a_per_10k", "b_per_10k", "ll", "log_ratio"], to: out)
        for row in window(rows, plan.limit, plan.offset) {
            let (x, y) = (a[row.id], b[row.id])
            try formatter.row([.text(table.texts[row.id]), .integer(x), .integer(y),
                               .number(Self.rounded(Double(x) * 10_000 / Double(sizeA), 2)),
                               .number(Self.rounded(Double(y) * 10_000 / Double(sizeB), 2)),
                               .number(Self.rounded(row.ll, 2)), .number(Self.rounded(row.ratio, 2))], to: out)
        }
        try formatter.end(to: out)
    }

    /// G² over the full 2×2 table of a word (as CQPweb and Wordless compute it): `a` of
    /// `sizeA` words in A, `b` of `sizeB` in B; the two cells of the other words included.
    static func keynessLL(_ a: Int, _ b: Int, _ sizeA: Int, _ sizeB: Int) -> Double {
        let n = Double(sizeA + sizeB), word = Double(a + b)
        let observed = [Double(a), Double(b), Double(sizeA - a), Double(sizeB - b)]
        let expected = [Double(sizeA) * word / n, Double(sizeB) * word / n,
                        Double(sizeA) * (n - word) / n, Double(sizeB) * (n - word) / n]
        var sum = 0.0
        for (o, e) in zip(observed, expected) where o > 0 && e > 0 { sum += o * log(o / e) }
        return 2 * sum
    }

    /// Hardie's Log Ratio: the binary log of the ratio of relative frequencies, a zero count
    /// taken as 0.5 so that a word absent from one side has a finite ratio.
    static func logRatio(_ a: Int, _ b: Int, _ sizeA: Int, _ sizeB: Int) -> Double {
        let x = a == 0 ? 0.5 : Double(a), y = b == 0 ? 0.5 : Double(b)
        return log2((x / Double(sizeA)) / (y / Double(sizeB)))
    }
}
