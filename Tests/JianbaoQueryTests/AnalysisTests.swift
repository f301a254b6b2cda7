import Foundation
import Testing
@testable import JianbaoQuery
@testable import JianbaoCorpus

/// kwic, freq and collocates against naive computations over Strings (docs/WORDS.md).
@Suite struct AnalysisTests {
    static let corpus = syntheticCorpus(issues: 300, seed: 11)

    /// Every non-overlapping occurrence in each paragraph, with `width` scalars each side.
    static func naiveKwic(_ corpus: Corpus, _ word: String, width: Int) -> [String] {
        var rows: [String] = []
        for (i, issue) in corpus.issues.enumerated() {
            for (a, article) in issue.articles.enumerated() {
                for block in issue.blocks(of: article, .paragraph) {
                    let scalars = Array(issue.string(block.range).unicodeScalars)
                    let needle = Array(word.unicodeScalars)
                    var k = 0
                    while k + needle.count <= scalars.count {
                        guard Array(scalars[k..<(k + needle.count)]) == needle else { k += 1; continue }
                        func text(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
                        let left = text(max(0, k - width)..<k)
                        let right = text((k + needle.count)..<min(scalars.count, k + needle.count + width))
                        rows.append("\(corpus.articleID(issue: i, article: a))\t\(left)\t\(word)\t\(right)")
                        k += needle.count
                    }
                }
            }
        }
        return rows
    }

    /// Streamed on the cores (no limit), row by row (with a limit), and naively: the same rows.
    @Test(arguments: [("科创", 20), ("营业收入", 3), ("，", 0), ("结束。", 7), ("a b", 2), ("不存在的词", 5)])
    func kwicEqualsNaiveScan(_ word: String, _ width: Int) throws {
        let expected = Self.naiveKwic(Self.corpus, word, width: width)
        let streamed = try run(Self.corpus, "kwic \"\(word)\" width \(width)").out.split(separator: "\n").map(String.init)
        let limited = try run(Self.corpus, "kwic \"\(word)\" width \(width) limit 100000000").out.split(separator: "\n").map(String.init)
        #expect(streamed == expected)
        #expect(limited == expected)
        if expected.count > 3 {
            let window = try run(Self.corpus, "kwic \"\(word)\" width \(width) limit 2 offset 1").out.split(separator: "\n").map(String.init)
            #expect(window == Array(expected[1..<3]))
        }
    }

    @Test func kwicRegexFindsEveryMatchAndSkipsEmptyOnes() throws {
        let literal = try run(Self.corpus, "kwic 营业收入 width 2").out
        #expect(try run(Self.corpus, "kwic /营业收入/ width 2").out == literal)
        #expect(try run(Self.corpus, "kwic /营(业)收入/ width 2").out == literal)
        // x* matches the empty string everywhere and 营业收入 nowhere: no rows, no hang.
        #expect(try run(Self.corpus, "kwic /x*/ width 2").out == "")
        // `^` is the start of the paragraph, not of each search position.
        let starts = try run(Self.corpus, "kwic /^开头/ width 0").out.split(separator: "\n").count
        #expect(starts == Self.corpus.issues.reduce(0) { $0 + $1.blocks.count { $0.kind == .paragraph } })
    }

    @Test func kwicWhereSelectsArticles() throws {
        let all = Self.naiveKwic(Self.corpus, "基金", width: 1)
        let spec = Schema.spec(.articles)
        var ids: Set<String> = []
        for (i, issue) in Self.corpus.issues.enumerated() {
            for (a, article) in issue.articles.enumerated() where issue.sectionName(Int(article.section)) == "金融工作" {
                ids.insert(String(Self.corpus.articleID(issue: i, article: a)))
            }
        }
        #expect(spec.field(named: "section") != nil)
        let expected = all.filter { ids.contains(String($0.split(separator: "\t")[0])) }
        #expect(!expected.isEmpty && expected.count < all.count)
        #expect(try run(Self.corpus, "kwic 基金 where section = 金融工作 width 1").out.split(separator: "\n").map(String.init) == expected)
    }

    /// freq words counts every id the segmenter kept; shares add up to 1.
    @Test func freqWordsCountsTheWordTable() throws {
        let table = Self.corpus.words.table
        let rows = try run(Self.corpus, "freq words").out.split(separator: "\n").map { $0.split(separator: "\t") }
        let total = rows.reduce(0) { $0 + Int($1[1])! }
        #expect(total == table.total)
        #expect(rows.count == table.counts.count { $0 > 0 })
        let shares = rows.reduce(0.0) { $0 + Double($1[2])! }
        #expect(abs(shares - 1) < 0.001)
        // Most frequent first, ties by text.
        for (a, b) in zip(rows, rows.dropFirst()) {
            #expect(Int(a[1])! > Int(b[1])! || (Int(a[1])! == Int(b[1])! && String(a[0]).utf8.lexicographicallyPrecedes(String(b[0]).utf8)))
        }
        // Numbers and their units are not words.
        #expect(!rows.contains { $0[0].contains(where: \.isNumber) || $0[0] == "年" })
    }

    @Test func freqWithWhereCountsOnlyThoseArticles() throws {
        func counts(_ statement: String) throws -> [String: Int] {
            Dictionary(uniqueKeysWithValues: try run(Self.corpus, statement).out.split(separator: "\n").map {
                let f = $0.split(separator: "\t"); return (String(f[0]), Int(f[1])!)
            })
        }
        for kind in ["words", "chars", "bigrams", "sources"] {
            let all = try counts("freq \(kind)")
            let a = try counts("freq \(kind) where section = 金融工作")
            let b = try counts("freq \(kind) where section != 金融工作")
            var sum = a
            sum.merge(b, uniquingKeysWith: +)
            #expect(sum == all, "freq \(kind)")
        }
    }

    /// `freq sources` is `count articles by sources` without the articles that name none,
    /// each article counted once per organisation even when its source repeats one.
    @Test func freqSourcesIsCountBySources() throws {
        let corpus = Corpus(CorpusLoader.load(documents: [("x/t.txt", Array("· 动态\n标题\n正文。（甲单位、乙单位、甲单位）\n标题二\n正文。（甲单位）\n标题三\n正文。\n".utf8))]))
        #expect(try run(corpus, "freq sources").out == "甲单位\t2\t0.666667\n乙单位\t1\t0.333333\n")
        for condition in ["", " where section = 金融工作", " where year >= 2022"] {
            let byCount = try run(Self.corpus, "count articles" + condition + " by sources").out
                .split(separator: "\n").filter { !$0.hasPrefix("\t") }.map { $0.split(separator: "\t").prefix(2).joined(separator: "\t") }
            let byFreq = try run(Self.corpus, "freq sources" + condition).out
                .split(separator: "\n").map { $0.split(separator: "\t").prefix(2).joined(separator: "\t") }
            #expect(byFreq == byCount, "\(condition)")
        }
    }

    @Test func freqCharsIsALetterCount() throws {
        var expected: [String: Int] = [:]
        for issue in Self.corpus.issues {
            for article in issue.articles {
                for block in issue.blocks(of: article, .paragraph) {
                    for c in issue.string(block.range).unicodeScalars where CharacterClass.isWordCharacter(c) {
                        expected[String(c), default: 0] += 1
                    }
                }
            }
        }
        let rows = try run(Self.corpus, "freq chars").out.split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(Dictionary(uniqueKeysWithValues: rows.map { (String($0[0]), Int($0[1])!) }) == expected)
        #expect(expected["，"] == nil && expected["3"] == nil && expected["科"] != nil)
    }

    /// Windows skip gap markers, stop at the paragraph's ends and leave the node out; a
    /// position near two occurrences is given once.
    @Test(arguments: [
        ([1, 2, 3, 4, 5] as [UInt32], [3] as [UInt32], 1, [2, 4] as [UInt32]),
        ([1, 0, 2, 3, 0, 0, 4, 5], [3], 2, [1, 2, 4, 5]),
        ([3, 1, 3], [3], 5, [1]),
        ([5, 3, 1, 3, 6], [3], 1, [5, 1, 6]),
        ([1, 2, 3, 4, 2, 3], [2, 3], 1, [1, 4]),
        ([2, 3], [2, 3], 3, []),
        ([1, 2], [3], 5, []),
    ])
    func windows(_ tokens: [UInt32], _ node: [UInt32], _ window: Int, _ expected: [UInt32]) {
        var found: [UInt32] = []
        tokens.withUnsafeBufferPointer { t in
            Evaluator.windows(t, 0..<t.count, node, window) { found.append($0) }
        }
        #expect(found.sorted() == expected.sorted())
    }

    /// G² against values worked out by hand (docs/WORDS.md): O=10 in R=100 window slots,
    /// C=50 occurrences, N=10,000 words: expected 0.5.
    @Test func logLikelihoodMatchesTheFormula() {
        let ll = Evaluator.logLikelihood(o: 10, r: 100, c: 50, n: 10_000)
        // 2·[10 ln(10/0.5) + 90 ln(90/99.5) + 40 ln(40/49.5) + 9860 ln(9860/9850.5)]
        let expected = 2 * (10 * log(10 / 0.5) + 90 * log(90 / 99.5) + 40 * log(40 / 49.5) + 9860 * log(9860 / 9850.5))
        #expect(abs(ll - expected) < 1e-9)
        #expect(abs(ll - 43.8137) < 0.0001)  // the same sum worked out in Python
        // Independence gives 0.
        #expect(abs(Evaluator.logLikelihood(o: 1, r: 100, c: 100, n: 10_000)) < 1e-9)
    }

    /// Collocates by hand on the synthetic corpus: `together` is the number of positions within
    /// 3 words of some occurrence of the node (a position near two occurrences counts once),
    /// so it never exceeds the word's own frequency, which is what `freq words` gives.
    @Test func collocatesCountWindowsLikeANaiveScan() throws {
        let table = Self.corpus.words.table
        guard let node = table.ids["基金"] else { Issue.record("基金 is not a word"); return }
        var together: [UInt32: Int] = [:]
        for (i, issue) in Self.corpus.issues.enumerated() {
            for article in issue.articles {
                for b in article.blocks {
                    let range = table.issues[i].range(ofBlocks: b..<(b + 1))
                    let words = table.issues[i].tokens[range].filter { $0 != 0 }
                    let nodes = words.indices.filter { words[$0] == node }
                    for (j, id) in words.enumerated() where id != node && nodes.contains(where: { abs($0 - j) <= 3 }) {
                        together[id, default: 0] += 1
                    }
                }
            }
        }
        let frequency = Dictionary(uniqueKeysWithValues: try run(Self.corpus, "freq words").out.split(separator: "\n").map {
            let cells = $0.split(separator: "\t")
            return (String(cells[0]), Int(cells[1])!)
        })
        let rows = try run(Self.corpus, "collocates 基金 window 3").out.split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(Int(row[1])! == together[table.ids[String(row[0])]!], "\(row)")
            #expect(Int(row[2])! == frequency[String(row[0])], "\(row)")
            #expect(Int(row[1])! <= Int(row[2])!, "\(row)")
            #expect(Double(row[5])! >= Evaluator.significance)
        }
        let lls = rows.map { Double($0[5])! }
        #expect(lls == lls.sorted(by: >))
    }

    /// Ctrl-C during the first segmentation stops the statement and keeps nothing half made;
    /// the next statement segments afresh.
    @Test func interruptedSegmentationIsNotKept() throws {
        let corpus = syntheticCorpus(issues: 40, seed: 3)
        var parser = try Parser("freq words")
        var resolver = Resolver(corpus: corpus)
        let plan = try resolver.resolve(parser.statements()[0].0)
        var formatter: any ResultFormatter = TSVFormatter(headers: true)
        let out = Output()
        #expect(throws: QueryError(.interrupted, span: 0..<0)) {
            try Evaluator(corpus: corpus, isInterrupted: { true }).run(plan, formatter: &formatter, to: out)
        }
        #expect(!corpus.words.isBuilt)
        #expect(out.bytes.isEmpty)
        try Evaluator(corpus: corpus, isInterrupted: { false }).run(plan, formatter: &formatter, to: out)
        #expect(corpus.words.isBuilt)
        #expect(out.text.hasPrefix("term\tcount\tshare\tarticles\tdp\n"))
    }

    /// The same for the first figure extraction (`select figures`, `metric`, `freq metrics`).
    /// (`metric` extracts in the resolver, which stops on the process's Ctrl-C flag; that flag
    /// is shared by every test running at the same time, so it is not tested here.)
    @Test(arguments: ["select figures", "count figures", "freq metrics"])
    func interruptedExtractionIsNotKept(_ statement: String) throws {
        let corpus = syntheticCorpus(issues: 40, seed: 5)
        var parser = try Parser(statement)
        var resolver = Resolver(corpus: corpus)
        let plan = try resolver.resolve(parser.statements()[0].0)
        var formatter: any ResultFormatter = TSVFormatter(headers: true)
        #expect(throws: QueryError(.interrupted, span: 0..<0)) {
            try Evaluator(corpus: corpus, isInterrupted: { true }).run(plan, formatter: &formatter, to: Output())
        }
        #expect(corpus.figures.milliseconds == nil)
        try Evaluator(corpus: corpus, isInterrupted: { false }).run(plan, formatter: &formatter, to: Output())
        #expect(corpus.figures.milliseconds != nil)
    }
}
