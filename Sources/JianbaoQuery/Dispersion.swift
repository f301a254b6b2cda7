import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// How evenly each word is spread over the selected articles: its range (articles that have
/// it) and Gries's DP (docs/WORDS.md "Dispersion").
struct Dispersion {
    /// Articles with at least one occurrence, by word id.
    var articles: [Int]
    /// DP normalised by 1 − the smallest part (Lijffijt & Gries 2012), by word id; nil when
    /// fewer than two articles have words (nothing to spread over).
    var dp: [Double?]

    /// Gries's (2008) deviation of proportions: half the summed absolute differences between
    /// each part's share of the corpus (`sizes`) and its share of the word (`counts`). The
    /// direct formula, for tests and for reading: the evaluator computes the same sum article by
    /// article, touching only the parts that have the word.
    static func deviation(sizes: [Double], counts: [Double]) -> Double {
        let total = sizes.reduce(0, +), n = counts.reduce(0, +)
        return zip(sizes, counts).reduce(0) { $0 + abs($1.1 / n - $1.0 / total) } / 2
    }

    /// DP divided by its largest possible value, 1 − the smallest part's share, so that a word
    /// found in one place only scores 1 whatever the sizes of the parts.
    static func normalised(_ dp: Double, smallestShare: Double) -> Double? {
        smallestShare < 1 ? min(1, dp / (1 - smallestShare)) : nil
    }
}

extension Evaluator {
    /// Range and DP of every word over the selected articles, the parts being the articles
    /// with at least one word. A word's sum Σ|vᵢ − sᵢ| is 1 (each part's sᵢ, as if the word were
    /// absent) corrected by |vᵢ − sᵢ| − sᵢ for each part that has it, so the work is one pass
    /// over the words, on all cores.
    func dispersion(_ table: WordTable, _ selection: [[Bool]]?, _ counts: [Int]) throws -> Dispersion {
        let total = Double(counts.reduce(0, +))
        let size = table.texts.count
        let chunks = corpus.issueChunks(perCore: 2)
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let perChunk = Parallel.map(chunks.count) { c -> (range: [Int], correction: [Double], parts: Int, smallest: Int)? in
            var range = [Int](repeating: 0, count: size)
            var correction = [Double](repeating: 0, count: size)
            var local = [Int32](repeating: 0, count: size)
            var touched: [UInt32] = []
            var parts = 0, smallest = Int.max
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let words = table.issues[i]
                for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                    var n = 0
                    for k in words.range(ofBlocks: article.blocks) {
                        let id = words.tokens[k]
                        guard id != 0 else { continue }
                        if local[Int(id)] == 0 { touched.append(id) }
                        local[Int(id)] += 1
                        n += 1
                    }
                    guard n > 0 else { continue }
                    parts += 1
                    smallest = min(smallest, n)
                    let share = Double(n) / total
                    for id in touched {
                        let w = Int(id)
                        correction[w] += abs(Double(local[w]) / Double(counts[w]) - share) - share
                        range[w] += 1
                        local[w] = 0
                    }
                    touched.removeAll(keepingCapacity: true)
                }
            }
            return (range, correction, parts, smallest)
        }
        var range = [Int](repeating: 0, count: size)
        var correction = [Double](repeating: 0, count: size)
        var parts = 0, smallest = Int.max
        for chunk in perChunk {
            guard let chunk else { throw interrupted }
            for w in 0..<size where chunk.range[w] > 0 {
                range[w] += chunk.range[w]
                correction[w] += chunk.correction[w]
            }
            parts += chunk.parts
            smallest = min(smallest, chunk.smallest)
        }
        let smallestShare = parts < 2 ? 1 : Double(smallest) / total
        let dp: [Double?] = (0..<size).map { w in
            range[w] == 0 ? nil : Dispersion.normalised(max(0, (1 + correction[w]) / 2), smallestShare: smallestShare)
        }
        return Dispersion(articles: range, dp: dp)
    }

    /// Range and DP over all articles, computed once per segmentation: `freq words` without
    /// `where` repeats nothing after its first call (the counts are kept with the words too).
    func dispersionOfAll(_ table: WordTable) throws -> Dispersion {
        if let kept = DispersionCache.shared.value(for: corpus.words) { return kept }
        let made = try dispersion(table, nil, table.counts)
        DispersionCache.shared.keep(made, for: corpus.words)
        return made
    }

    /// Per word id, whether the list leaves it out (`.stopwords on` and in stopwords.txt).
    func stopMask(_ table: WordTable) -> [Bool] { stopMask(table.texts) }

    func stopMask(_ texts: [String]) -> [Bool] {
        guard stopwords else { return [Bool](repeating: false, count: texts.count) }
        let words = Lexicon.current.stopwords
        return texts.map { words.contains($0) }
    }
}

/// The dispersion over all articles of the last corpus asked about. It belongs to that
/// corpus's word index (held weakly: a reload makes a new index, and the old answer is gone).
final class DispersionCache: @unchecked Sendable {
    static let shared = DispersionCache()
    private var mutex = pthread_mutex_t()
    private weak var owner: WordIndex?
    private var kept: Dispersion?

    private init() { pthread_mutex_init(&mutex, nil) }

    func value(for index: WordIndex) -> Dispersion? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return owner === index ? kept : nil
    }

    func keep(_ dispersion: Dispersion, for index: WordIndex) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        owner = index
        kept = dispersion
    }
}
