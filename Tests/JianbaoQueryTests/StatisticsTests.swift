import Foundation
import Testing
@testable import JianbaoQuery
@testable import JianbaoCorpus

/// trend, keywords, dispersion, n-grams and aggregates, each against an independent
/// computation: worked examples from the literature, direct formulas, naive loops over the
/// rows other statements give.
@Suite struct StatisticsTests {
    static let corpus = syntheticCorpus(issues: 240, seed: 23)
    static let sample = Corpus(CorpusLoader.load(documents: SampleCorpus.documents))

    /// Rows of a tsv result, split into cells.
    static func rows(_ corpus: Corpus, _ statement: String) throws -> [[String]] {
        let (out, err) = try run(corpus, statement)
        #expect(err.isEmpty, "\(statement): \(err)")
        return out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Gries (2008, p. 415): a corpus of five parts of 9, 10, 10, 10 and 11 words, in which a
    /// word occurs 1, 2, 3, 4 and 5 times, has DP = 0.18; normalised by 1 − the smallest part
    /// (Lijffijt & Gries 2012) 0.18 / 0.82. All occurrences in the smallest part give 1.
    @Test func dpMatchesGriesExample() {
        let sizes: [Double] = [9, 10, 10, 10, 11]
        let dp = Dispersion.deviation(sizes: sizes, counts: [1, 2, 3, 4, 5])
        #expect(abs(dp - 0.18) < 1e-12)
        #expect(abs(Dispersion.normalised(dp, smallestShare: 0.18)! - 0.18 / 0.82) < 1e-12)
        let lumped = Dispersion.deviation(sizes: sizes, counts: [5, 0, 0, 0, 0])
        #expect(abs(Dispersion.normalised(lumped, smallestShare: 0.18)! - 1) < 1e-12)
        #expect(Dispersion.deviation(sizes: sizes, counts: sizes) < 1e-12)
    }

    /// Rayson's worked example on the Corpora list (18 January 2002,
    /// https://listserv.linguistlist.org/pipermail/corpora/2002-January/002455.html): two
    /// corpora of a million words; keep 348 vs 99 gives LL 147, keeping 9 vs 32 gives 14, keeps
    /// 15 vs 14 gives 0 (rounded). The full four-cell G² agrees with Rayson & Garside's
    /// two-cell form to within 0.05 at these sizes.
    @Test(arguments: [(348, 99, 147.0), (9, 32, 14.0), (15, 14, 0.0), (21, 25, 0.0)])
    func keynessMatchesRaysonExample(_ a: Int, _ b: Int, _ rounded: Double) {
        let ll = Evaluator.keynessLL(a, b, 1_000_000, 1_000_000)
        #expect(ll.rounded() == rounded)
        let e = Double(a + b) / 2
        let twoCell = 2 * ((a > 0 ? Double(a) * log(Double(a) / e) : 0) + (b > 0 ? Double(b) * log(Double(b) / e) : 0))
        #expect(abs(ll - twoCell) < 0.05)
    }

    /// Hardie's Log Ratio: doubling is 1, an absent word counts as 0.5.
    @Test func logRatio() {
        #expect(Evaluator.logRatio(8, 2, 100, 100) == 2)
        #expect(Evaluator.logRatio(4, 4, 100, 200) == 1)
        #expect(Evaluator.logRatio(4, 0, 100, 100) == 3)
        #expect(Evaluator.logRatio(0, 2, 100, 100) == -2)
    }

    /// freq words' articles and dp equal the direct formula over each article's words.
    @Test func freqWordsDispersionEqualsTheFormula() throws {
        let corpus = Self.corpus
        let table = corpus.words.table
        var perArticle: [[UInt32: Int]] = []
        for (i, issue) in corpus.issues.enumerated() {
            for article in issue.articles {
                var counts: [UInt32: Int] = [:]
                for k in table.issues[i].range(ofBlocks: article.blocks) where table.issues[i].tokens[k] != 0 {
                    counts[table.issues[i].tokens[k], default: 0] += 1
                }
                if !counts.isEmpty { perArticle.append(counts) }
            }
        }
        let sizes = perArticle.map { Double($0.values.reduce(0, +)) }
        let smallest = sizes.min()! / sizes.reduce(0, +)
        let rows = try Self.rows(corpus, "freq words")
        #expect(rows.count > 10)
        for row in rows {
            let id = table.ids[row[0]]!
            let counts = perArticle.map { Double($0[id] ?? 0) }
            #expect(Int(row[3]) == counts.count { $0 > 0 }, "\(row)")
            let dp = Dispersion.normalised(Dispersion.deviation(sizes: sizes, counts: counts), smallestShare: smallest)!
            #expect(abs(Double(row[4])! - dp) < 0.00006, "\(row)")
        }
    }

    /// trend's count per year is the number of kwic rows of articles of that year; chars
    /// the sum of articles.chars; per_10k the one over the other.
    @Test(arguments: ["科创", "营业收入", "a b", "不存在的词"])
    func trendCountsAreKwicRowsPerYear(_ word: String) throws {
        let corpus = Self.corpus
        var yearOf: [String: String] = [:]
        var chars: [String: Int] = [:]
        for row in try Self.rows(corpus, "select articles id, year, chars") {
            yearOf[row[0]] = row[1]
            chars[row[1], default: 0] += Int(row[2])!
        }
        var count: [String: Int] = [:]
        var articles: [String: Set<String>] = [:]
        for row in try Self.rows(corpus, "kwic \"\(word)\" width 0") {
            count[yearOf[row[0]]!, default: 0] += 1
            articles[yearOf[row[0]]!, default: []].insert(row[0])
        }
        let trend = try Self.rows(corpus, "trend \"\(word)\" by year")
        #expect(trend.map { $0[0] } == chars.keys.sorted())
        for row in trend {
            #expect(Int(row[1]) == count[row[0]] ?? 0, "\(row)")
            #expect(Int(row[2]) == articles[row[0]]?.count ?? 0, "\(row)")
            #expect(Int(row[3]) == chars[row[0]], "\(row)")
            let rate = Double(count[row[0]] ?? 0) * 10_000 / Double(chars[row[0]]!)
            #expect(abs(Double(row[4])! - rate) < 0.006, "\(row)")
        }
    }

    /// keywords' a and b are freq words' counts under each condition, and ll and log_ratio the
    /// formulas over them with the sides' sizes (every word, function words included).
    @Test(arguments: [("year = 2020", "year = 2021"), ("section = 金融工作", nil)] as [(String, String?)])
    func keywordsCountsAreFreqWordsCounts(_ focus: String, _ reference: String?) throws {
        let corpus = Self.corpus
        func counts(_ condition: String) throws -> [String: Int] {
            Dictionary(uniqueKeysWithValues: try Self.rows(corpus, ".stopwords off\nfreq words where \(condition)").map { ($0[0], Int($0[1])!) })
        }
        let a = try counts(focus)
        let b = try counts(reference ?? "not (\(focus))")
        let (sizeA, sizeB) = (a.values.reduce(0, +), b.values.reduce(0, +))
        let statement = "keywords where \(focus)" + (reference.map { " vs \($0)" } ?? "") + " min 1"
        for negative in [false, true] {
            let rows = try Self.rows(corpus, statement + (negative ? " negative" : ""))
            for row in rows {
                let (x, y) = (a[row[0]] ?? 0, b[row[0]] ?? 0)
                #expect(Int(row[1]) == x && Int(row[2]) == y, "\(row)")
                #expect((Double(x) / Double(sizeA) > Double(y) / Double(sizeB)) != negative, "\(row)")
                #expect(abs(Double(row[5])! - Evaluator.keynessLL(x, y, sizeA, sizeB)) < 0.006, "\(row)")
                #expect(Double(row[5])! >= 3.84)
            }
            let lls = rows.map { Double($0[5])! }
            #expect(lls == lls.sorted(by: >))
        }
    }

    /// freq ngrams N equals a naive count of runs of N words within gap-free stretches, in 2
    /// articles or more, none starting or ending with a function word.
    @Test(arguments: [2, 3])
    func ngramsEqualANaiveCount(_ n: Int) throws {
        let corpus = Self.sample
        let table = corpus.words.table
        var count: [String: Int] = [:]
        var articles: [String: Set<Int>] = [:]
        for (i, issue) in corpus.issues.enumerated() {
            for (a, article) in issue.articles.enumerated() {
                for b in article.blocks {
                    let tokens = Array(table.issues[i].tokens[table.issues[i].range(ofBlocks: b..<(b + 1))])
                    for run in tokens.split(separator: 0) where run.count >= n {
                        let words = run.map { table.texts[Int($0)] }
                        for k in 0...(words.count - n) {
                            let gram = Array(words[k..<(k + n)])
                            if Lexicon.current.stopwords.contains(gram.first!) || Lexicon.current.stopwords.contains(gram.last!) { continue }
                            count[gram.joined(separator: " "), default: 0] += 1
                            articles[gram.joined(separator: " "), default: []].insert(corpus.articleID(issue: i, article: a))
                        }
                    }
                }
            }
        }
        let expected = Set(count.keys.filter { articles[$0]!.count >= 2 }.map { "\($0)\t\(count[$0]!)\t\(articles[$0]!.count)" })
        let rows = try Self.rows(corpus, "freq ngrams \(n)")
        #expect(!rows.isEmpty)
        #expect(Set(rows.map { "\($0[0])\t\($0[1])\t\($0[3])" }) == expected)
    }

    /// Aggregates by base equal a loop over `select figures`.
    @Test func aggregatesEqualALoopOverFigures() throws {
        var count: [String: Int] = [:], sum: [String: Double] = [:], least: [String: Double] = [:], most: [String: Double] = [:]
        var subjects: [String: Set<String>] = [:]
        for row in try Self.rows(Self.sample, "select figures base, amount, subject") {
            let (base, amount) = (row[0], Double(row[1])!)
            count[base, default: 0] += 1
            sum[base, default: 0] += amount
            least[base] = min(least[base] ?? .infinity, amount)
            most[base] = max(most[base] ?? -.infinity, amount)
            if !row[2].isEmpty { subjects[base, default: []].insert(row[2]) }
        }
        let rows = try Self.rows(Self.sample, "select base, count(*), sum(amount), min(amount), max(amount), count(distinct subject) from figures group by base")
        #expect(rows.map { $0[0] } == count.keys.sorted { ValueOrder.compareText($0, $1) < 0 })
        for row in rows {
            let base = row[0]
            #expect(Int(row[1]) == count[base])
            #expect(abs(Double(row[2])! - sum[base]!) <= 1e-6 * max(1, abs(sum[base]!)), "\(row)")
            #expect(Double(row[3]) == least[base] && Double(row[4]) == most[base], "\(row)")
            #expect(Int(row[5]) == subjects[base]?.count ?? 0, "\(row)")
        }
        let total = try Self.rows(Self.sample, "select figures count(*)")
        #expect(total == [[String(count.values.reduce(0, +))]])
        #expect(try Self.rows(Self.sample, "select figures count(*) where base = 不存在") == [["0"]])
    }

    /// Grouping on a figure's subject or metric goes through interned codes (FigureColumns),
    /// merged across chunks of issues: the groups, counts and sums equal a loop over select,
    /// and figures without a subject form the one null group.
    @Test(arguments: ["subject", "metric"])
    func internedGroupsEqualALoopOverFigures(field: String) throws {
        var count: [String: Int] = [:], sum: [String: Double] = [:]
        for row in try Self.rows(Self.sample, "select figures \(field), amount where base = 元") {
            count[row[0], default: 0] += 1
            sum[row[0], default: 0] += Double(row[1])!
        }
        #expect(count.count >= 10)
        let rows = try Self.rows(Self.sample, "select figures \(field), count(*), sum(amount) where base = 元 group by \(field)")
        #expect(rows.count == count.count)
        #expect(Set(rows.map { $0[0] }) == Set(count.keys))
        for row in rows {
            #expect(Int(row[1]) == count[row[0]], "\(row)")
            #expect(abs(Double(row[2])! - sum[row[0]]!) <= 1e-6 * max(1, abs(sum[row[0]]!)), "\(row)")
        }
        if field == "subject" { #expect(count[""] != nil, "the sample has figures without a subject") }
    }

    /// count … by two keys equals a loop over select; order by and limit apply.
    @Test func countByTwoKeysEqualsALoop() throws {
        var expected: [String: Int] = [:]
        for row in try Self.rows(Self.corpus, "select articles year, section") { expected[row[0] + "\t" + row[1], default: 0] += 1 }
        let rows = try Self.rows(Self.corpus, "count articles by year, section")
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0[0] + "\t" + $0[1], Int($0[2])!) }) == expected)
        #expect(rows.map { Int($0[2])! } == rows.map { Int($0[2])! }.sorted(by: >))
        let byYear = try Self.rows(Self.corpus, "count articles by year order by year limit 3")
        #expect(byYear.map { $0[0] } == ["2019", "2020", "2021"])
    }
}
