import JianbaoCorpus

/// `freq ngrams N`: runs of N words (clusters, as AntConc and Wordless call them) that do not
/// cross punctuation, a number or a paragraph's end (docs/WORDS.md "freq").
extension Evaluator {
    /// Up to six word ids, the key of one n-gram (unused places are 0, which no word has).
    struct Gram: Hashable {
        var low: UInt64 = 0, middle: UInt64 = 0, high: UInt64 = 0

        init(_ t: UnsafeBufferPointer<UInt32>, _ start: Int, _ n: Int) {
            for k in 0..<n {
                let id = UInt64(t[start + k]) << (32 * UInt64(k % 2))
                switch k / 2 {
                case 0: low |= id
                case 1: middle |= id
                default: high |= id
                }
            }
        }

        func id(_ k: Int) -> Int {
            let word = k / 2 == 0 ? low : k / 2 == 1 ? middle : high
            return Int((word >> (32 * UInt64(k % 2))) & 0xFFFF_FFFF)
        }
    }

    /// How often an n-gram occurs and in how many articles.
    struct GramCount {
        var count: Int32 = 0
        var articles: Int32 = 0
        /// The article (its id) that last added to `articles`.
        var lastArticle: Int32 = -1

        /// One more occurrence, in article `id`.
        mutating func add(in id: Int32) {
            count += 1
            if lastArticle != id {
                lastArticle = id
                articles += 1
            }
        }
    }

    /// The fewest articles an n-gram must occur in to be listed: a cluster of one article is
    /// usually one phrase repeated, not a habit of the corpus.
    static let ngramMinimumRange = 2

    /// N-grams of the selected articles that occur in at least `ngramMinimumRange` articles,
    /// most frequent first; with `.stopwords on`, none that starts or ends with a function word.
    /// `total` counts every n-gram position, listed or not (the base of `share`).
    func ngramCounts(_ n: Int, _ selection: [[Bool]]?) throws -> (rows: [(term: String, count: Int, articles: Int)], total: Int) {
        let table = try wordTable()
        let stop = stopMask(table)
        let chunks = corpus.issueChunks(perCore: 2)
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let perChunk = CorpusLoader.parallelMap(chunks.count) { c -> (counts: [Gram: GramCount], total: Int)? in
            var counts: [Gram: GramCount] = [:]
            var total = 0
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let words = table.issues[i]
                words.tokens.withUnsafeBufferPointer { t in
                    for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                        let articleID = Int32(truncatingIfNeeded: corpus.articleID(issue: i, article: a))
                        for b in article.blocks {
                            let range = words.range(ofBlocks: b..<(b + 1))
                            // `run` is how many words in a row end at k, without a gap.
                            var run = 0
                            for k in range {
                                guard t[k] != 0 else { run = 0; continue }
                                run += 1
                                guard run >= n else { continue }
                                total += 1
                                let start = k - n + 1
                                if stop[Int(t[start])] || stop[Int(t[k])] { continue }
                                let key = Gram(t, start, n)
                                counts[key, default: GramCount()].add(in: articleID)
                            }
                        }
                    }
                }
            }
            return (counts, total)
        }
        var counts: [Gram: GramCount] = [:]
        var total = 0
        for chunk in perChunk {
            guard let chunk else { throw interrupted }
            total += chunk.total
            // Articles belong to one chunk each: ranges add up.
            counts.merge(chunk.counts) { a, b in GramCount(count: a.count + b.count, articles: a.articles + b.articles) }
        }
        var rows: [(term: String, count: Int, articles: Int)] = []
        for (key, value) in counts where Int(value.articles) >= Self.ngramMinimumRange {
            let term = (0..<n).map { table.texts[key.id($0)] }.joined(separator: " ")
            rows.append((term, Int(value.count), Int(value.articles)))
        }
        rows.sort { a, b in a.count != b.count ? a.count > b.count : ValueOrder.compareText(a.term, b.term) < 0 }
        return (rows, total)
    }
}
