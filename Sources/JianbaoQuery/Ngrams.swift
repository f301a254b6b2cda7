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
        var count = 0
        var articles = 0
        /// The article (its id) that last added to `articles`.
        var lastArticle = -1

        /// One more occurrence, in article `id`.
        mutating func add(in id: Int) {
            count += 1
            if lastArticle != id {
                lastArticle = id
                articles += 1
            }
        }
    }

    /// N-gram counts in an open-addressing table with a multiplicative hash: counting every
    /// position of the corpus through a `Dictionary` (SipHash per key) took several times as
    /// long as the walk itself.
    struct GramTable {
        private(set) var keys: [Gram] = []
        private(set) var values: [GramCount] = []
        private var slots = [Int32](repeating: -1, count: 1 << 12)

        @inline(__always)
        mutating func add(_ key: Gram, in article: Int) {
            let mask = slots.count - 1
            var h = (key.low &* 0x9E37_79B9_7F4A_7C15) ^ (key.middle &* 0xC2B2_AE3D_27D4_EB4F) ^ (key.high &* 0x1656_67B1_9E37_79F9)
            h ^= h >> 29
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let k = Int(slots[slot])
                if k < 0 {
                    slots[slot] = Int32(keys.count)
                    keys.append(key)
                    values.append(GramCount())
                    values[values.count - 1].add(in: article)
                    if keys.count * 2 > slots.count { grow() }
                    return
                }
                if keys[k] == key {
                    values[k].add(in: article)
                    return
                }
                slot = (slot + 1) & mask
            }
        }

        private mutating func grow() {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for (k, key) in keys.enumerated() {
                var h = (key.low &* 0x9E37_79B9_7F4A_7C15) ^ (key.middle &* 0xC2B2_AE3D_27D4_EB4F) ^ (key.high &* 0x1656_67B1_9E37_79F9)
                h ^= h >> 29
                var slot = Int(truncatingIfNeeded: h) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(k)
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
        let perChunk = Parallel.map(chunks.count) { c -> (counts: GramTable, total: Int)? in
            var counts = GramTable()
            var total = 0
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let words = table.issues[i]
                words.tokens.withUnsafeBufferPointer { t in
                    for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                        let articleID = corpus.articleID(issue: i, article: a)
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
                                counts.add(key, in: articleID)
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
            for (key, value) in zip(chunk.counts.keys, chunk.counts.values) {
                counts[key, default: GramCount()].count += value.count
                counts[key, default: GramCount()].articles += value.articles
            }
        }
        var rows: [(term: String, count: Int, articles: Int)] = []
        for (key, value) in counts where value.articles >= Self.ngramMinimumRange {
            let term = (0..<n).map { table.texts[key.id($0)] }.joined(separator: " ")
            rows.append((term, value.count, value.articles))
        }
        rows.sort { a, b in a.count != b.count ? a.count > b.count : ValueOrder.compareText(a.term, b.term) < 0 }
        return (rows, total)
    }
}
