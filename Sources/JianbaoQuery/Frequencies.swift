import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// `freq`: frequency lists of words, characters, bigrams, sources and metrics (docs/WORDS.md "freq").
extension Evaluator {
    func runFreq(_ plan: FreqPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        var rows: [(term: String, count: Int)]
        // Columns after term, count and share, with their values by row (words and n-grams).
        var extraColumns: [String] = []
        var extra: [[Value]] = []
        // What share divides by: every word counted, function words too (they are left out
        // of the list, not of the text).
        var total: Int?
        switch plan.kind {
        case .words where plan.predicate == nil && corpus.words.keptStatistics != nil:
            // Statistics an earlier run kept for this very corpus (docs/SNAPSHOT.md "Words").
            let kept = corpus.words.keptStatistics!
            let stop = stopMask(kept.texts)
            total = kept.counts.reduce(0, +)
            rows = []
            var byTerm: [String: [Value]] = [:]
            for (id, n) in kept.counts.enumerated() where n > 0 && id > 0 && !stop[id] {
                rows.append((kept.texts[id], n))
                byTerm[kept.texts[id]] = [.integer(kept.articles[id]), kept.dp[id].map { .number(Self.rounded($0, 4)) } ?? .null]
            }
            extraColumns = ["articles", "dp"]
            rows.sort(by: Self.frequencyOrder)
            extra = rows.map { byTerm[$0.term]! }
        case .words:
            let table = try wordTable()
            let selection = try articleSelection(plan.predicate)
            let counts = try wordCounts(table, selection)
            let spread = selection == nil ? try dispersionOfAll(table) : try dispersion(table, selection, counts)
            if plan.predicate == nil {
                corpus.words.keep(WordStatistics(texts: table.texts, counts: table.counts, articles: spread.articles, dp: spread.dp))
            }
            let stop = stopMask(table)
            total = counts.reduce(0, +)
            rows = []
            var byTerm: [String: [Value]] = [:]
            for (id, n) in counts.enumerated() where n > 0 && id > 0 && !stop[id] {
                rows.append((table.texts[id], n))
                byTerm[table.texts[id]] = [.integer(spread.articles[id]), spread.dp[id].map { .number(Self.rounded($0, 4)) } ?? .null]
            }
            extraColumns = ["articles", "dp"]
            rows.sort(by: Self.frequencyOrder)
            extra = rows.map { byTerm[$0.term]! }
        case .ngrams:
            let grams = try ngramCounts(plan.n ?? 2, try articleSelection(plan.predicate))
            total = grams.total
            rows = grams.rows.map { ($0.term, $0.count) }
            extraColumns = ["articles"]
            extra = grams.rows.map { [.integer($0.articles)] }
        case .bigrams:
            rows = try bigramCounts(try articleSelection(plan.predicate))
        case .chars:
            rows = try characterCounts(try articleSelection(plan.predicate))
        case .sources:
            // `count articles by sources`: each article once per organisation it names.
            rows = try groups(RowSource(corpus: corpus, target: .articles), plan.predicate, .sources)
                .compactMap { key, n in key == .null ? nil : (key.plainText, n) }
        case .metrics:
            let selection = try articleSelection(plan.predicate)
            // Counted by interned metric (-1, none, first): no figure made per row.
            let table = corpus.figures.figures, columns = corpus.figures.columns
            var perCode = [Int](repeating: 0, count: columns.metrics.count + 1)
            for i in table.indices {
                for k in table[i].indices where selection?[i][Int(table.record(issue: i, index: k).article)] ?? true {
                    perCode[Int(columns.metric[columns.row(issue: i, index: k)]) + 1] += 1
                }
            }
            rows = perCode.indices.filter { perCode[$0] > 0 }.map { ($0 == 0 ? "" : columns.metrics[$0 - 1], perCode[$0]) }
        }
        if isInterrupted() { throw interrupted }
        let all = total ?? rows.reduce(0) { $0 + $1.count }
        if extra.isEmpty { rows.sort(by: Self.frequencyOrder) }
        try formatter.begin(columns: ["term", "count", "share"] + extraColumns, to: out)
        for k in window(Array(rows.indices), plan.limit, plan.offset) {
            let (term, n) = rows[k]
            try formatter.row([.text(term), .integer(n), .number(Self.rounded(Double(n) / Double(all), 6))]
                              + (extra.isEmpty ? [] : extra[k]), to: out)
        }
        try formatter.end(to: out)
    }

    /// Most frequent first, ties in code-point order.
    static func frequencyOrder(_ a: (term: String, count: Int), _ b: (term: String, count: Int)) -> Bool {
        a.count != b.count ? a.count > b.count : ValueOrder.compareText(a.term, b.term) < 0
    }

    /// Occurrences of each word id in the selected articles (the table's own counts when all
    /// are selected); index 0, the gap marker, is 0.
    func wordCounts(_ table: WordTable, _ selection: [[Bool]]?) throws -> [Int] {
        guard let selection else { return table.counts }
        let corpus = self.corpus
        let perChunk = Parallel.chunked(corpus.issues.count, perCore: 2, stoppingIf: isInterrupted) { range, step -> [Int]? in
            var counts = [Int](repeating: 0, count: table.texts.count)
            for i in range {
                guard step.next() else { return nil }
                let words = table.issues[i]
                for (a, article) in corpus.issues[i].articles.enumerated() where selection[i][a] {
                    for k in words.range(ofBlocks: article.blocks) { counts[Int(words.tokens[k])] += 1 }
                }
            }
            return counts
        }
        guard let perChunk else { throw interrupted }
        var counts = [Int](repeating: 0, count: table.texts.count)
        for chunk in perChunk {
            for (id, n) in chunk.enumerated() { counts[id] += n }
        }
        counts[0] = 0
        return counts
    }

    /// Pairs of words next to each other with no punctuation or number between them.
    func bigramCounts(_ selection: [[Bool]]?) throws -> [(term: String, count: Int)] {
        let table = try wordTable()
        let corpus = self.corpus
        let perChunk = Parallel.chunked(corpus.issues.count, perCore: 2, stoppingIf: isInterrupted) { range, step -> [UInt64: Int]? in
            var counts: [UInt64: Int] = [:]
            for i in range {
                guard step.next() else { return nil }
                let words = table.issues[i]
                for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                    for b in article.blocks {
                        let range = words.range(ofBlocks: b..<(b + 1))
                        guard range.count > 1 else { continue }
                        for k in range.lowerBound..<(range.upperBound - 1) {
                            let (x, y) = (words.tokens[k], words.tokens[k + 1])
                            if x != 0 && y != 0 { counts[UInt64(x) << 32 | UInt64(y), default: 0] += 1 }
                        }
                    }
                }
            }
            return counts
        }
        guard let perChunk else { throw interrupted }
        var counts: [UInt64: Int] = [:]
        for chunk in perChunk {
            counts.merge(chunk, uniquingKeysWith: +)
        }
        return counts.map { key, n in (table.texts[Int(key >> 32)] + " " + table.texts[Int(key & 0xFFFF_FFFF)], n) }
    }

    /// Letters and ideographs (CharacterClass) in the paragraphs of the selected articles.
    func characterCounts(_ selection: [[Bool]]?) throws -> [(term: String, count: Int)] {
        let corpus = self.corpus
        let perChunk = Parallel.chunked(corpus.issues.count, perCore: 2, stoppingIf: isInterrupted) { range, step -> [UInt32: Int]? in
            var plane = [Int](repeating: 0, count: 0x10000)
            var others: [UInt32: Int] = [:]
            for i in range {
                guard step.next() else { return nil }
                let issue = corpus.issues[i]
                issue.text.withUnsafeBufferPointer { p in
                    for (a, article) in issue.articles.enumerated() where selection?[i][a] ?? true {
                        for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                            let range = issue.blocks[Int(b)].range
                            var k = range.lower
                            while k < range.upper {
                                let (scalar, length) = UTF8Text.decode(p, k)
                                k += length
                                guard CharacterClass.isWordCharacter(scalar) else { continue }
                                if scalar.value < 0x10000 { plane[Int(scalar.value)] += 1 } else { others[scalar.value, default: 0] += 1 }
                            }
                        }
                    }
                }
            }
            for (v, n) in plane.enumerated() where n > 0 { others[UInt32(v)] = n }
            return others
        }
        guard let perChunk else { throw interrupted }
        var counts: [UInt32: Int] = [:]
        for chunk in perChunk {
            counts.merge(chunk, uniquingKeysWith: +)
        }
        return counts.map { (String(Unicode.Scalar($0.key)!), $0.value) }
    }
}
