import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// `freq`: frequency lists of words, characters, bigrams, sources and metrics (docs/WORDS.md "freq").
extension Evaluator {
    func runFreq(_ plan: FreqPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        var rows: [(term: String, count: Int)]
        switch plan.kind {
        case .words:
            let table = try wordTable()
            let counts = try wordCounts(table, try articleSelection(plan.predicate))
            rows = []
            for (id, n) in counts.enumerated() where n > 0 && id > 0 { rows.append((table.texts[id], n)) }
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
            var counts: [String: Int] = [:]
            for (i, figures) in corpus.figures.figures.enumerated() {
                for figure in figures where selection?[i][Int(figure.article)] ?? true { counts[figure.metric, default: 0] += 1 }
            }
            rows = counts.map { ($0.key, $0.value) }
        }
        if isInterrupted() { throw interrupted }
        let total = rows.reduce(0) { $0 + $1.count }
        rows.sort { a, b in a.count != b.count ? a.count > b.count : ValueOrder.compareText(a.term, b.term) < 0 }
        try formatter.begin(columns: ["term", "count", "share"], to: out)
        for (term, n) in window(rows, plan.limit, plan.offset) {
            try formatter.row([.text(term), .integer(n), .number(Self.rounded(Double(n) / Double(total), 6))], to: out)
        }
        try formatter.end(to: out)
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
