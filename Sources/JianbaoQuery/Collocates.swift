import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// `collocates`: words near a word more often than chance (docs/WORDS.md "Collocates").
extension Evaluator {
    /// Words within `window` words of the node (the same paragraph, punctuation skipped; the
    /// node's own words are not its collocates),
    /// scored against chance with log-likelihood (docs/WORDS.md "Collocates").
    func runCollocates(_ plan: CollocatesPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let columns = ["word", "together", "frequency", "expected", "mi", "ll"]
        guard !plan.node.isEmpty else {
            try formatter.begin(columns: columns, to: out)
            return try formatter.end(to: out)
        }
        let table = try wordTable()
        let selection = try articleSelection(plan.predicate)
        let counts = try wordCounts(table, selection)
        let total = Double(counts.reduce(0, +))
        let corpus = self.corpus
        let perChunk = Parallel.chunked(corpus.issues.count, perCore: 2, stoppingIf: isInterrupted) { range, step -> (together: [UInt32: Int], slots: Int)? in
            var together: [UInt32: Int] = [:]
            var slots = 0
            for i in range {
                guard step.next() else { return nil }
                let words = table.issues[i]
                words.tokens.withUnsafeBufferPointer { t in
                    for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                        for b in article.blocks {
                            let range = words.range(ofBlocks: b..<(b + 1))
                            Self.windows(t, range, plan.node, plan.window) { id in
                                together[id, default: 0] += 1
                                slots += 1
                            }
                        }
                    }
                }
            }
            return (together, slots)
        }
        guard let perChunk else { throw interrupted }
        var together: [UInt32: Int] = [:]
        var slots = 0
        for chunk in perChunk {
            together.merge(chunk.together, uniquingKeysWith: +)
            slots += chunk.slots
        }
        var rows: [(id: UInt32, o: Int, c: Int, e: Double, mi: Double, ll: Double)] = []
        for (id, o) in together where !plan.node.contains(id) {
            let c = counts[Int(id)]
            let e = Double(slots) * Double(c) / total
            guard Double(o) > e else { continue }
            let ll = Self.logLikelihood(o: Double(o), r: Double(slots), c: Double(c), n: total)
            guard ll >= Self.significance else { continue }
            rows.append((id, o, c, e, log2(Double(o) / e), ll))
        }
        rows.sort { a, b in
            if a.ll != b.ll { return a.ll > b.ll }
            if a.o != b.o { return a.o > b.o }
            return ValueOrder.compareText(table.texts[Int(a.id)], table.texts[Int(b.id)]) < 0
        }
        try formatter.begin(columns: columns, to: out)
        for row in window(rows, plan.limit, plan.offset) {
            try formatter.row([.text(table.texts[Int(row.id)]), .integer(row.o), .integer(row.c),
                               .number(Self.rounded(row.e, 2)), .number(Self.rounded(row.mi, 2)),
                               .number(Self.rounded(row.ll, 2))], to: out)
        }
        try formatter.end(to: out)
    }

    /// G² at or above this (p < 0.05 with one degree of freedom) counts as more than chance.
    static let significance = 3.84

    /// Calls `collocate` with each word within `window` words of each occurrence of `node` in
    /// `t[range]`, skipping gap markers; the node's own words are not in its window.
    static func windows(_ t: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ node: [UInt32], _ window: Int,
                        _ collocate: (UInt32) -> Void) {
        let m = node.count
        guard range.count >= m else { return }
        var k = range.lowerBound
        while k + m <= range.upperBound {
            guard t[k] == node[0], (1..<m).allSatisfy({ t[k + $0] == node[$0] }) else { k += 1; continue }
            var j = k - 1, taken = 0
            while j >= range.lowerBound && taken < window {
                if t[j] != 0 { collocate(t[j]); taken += 1 }
                j -= 1
            }
            j = k + m
            taken = 0
            while j < range.upperBound && taken < window {
                if t[j] != 0 { collocate(t[j]); taken += 1 }
                j += 1
            }
            k += 1
        }
    }

    /// Dunning's log-likelihood G² = 2 Σ O ln(O / E) over the 2×2 table of a collocate: `o`
    /// times in the windows, `r` window slots in all, `c` occurrences in the corpus, `n` words.
    /// Cells that windows overlapping each other would make negative count as 0.
    static func logLikelihood(o: Double, r: Double, c: Double, n: Double) -> Double {
        let observed = [o, r - o, c - o, n - r - c + o].map { max(0, $0) }
        let expected = [r * c / n, r * (n - c) / n, (n - r) * c / n, (n - r) * (n - c) / n]
        var sum = 0.0
        for (x, e) in zip(observed, expected) where x > 0 && e > 0 { sum += x * log(x / e) }
        return 2 * sum
    }
}
