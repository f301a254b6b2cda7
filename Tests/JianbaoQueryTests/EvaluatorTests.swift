import Testing
@testable import JianbaoQuery
@testable import JianbaoCorpus

/// A corpus made in memory: issues with a few sections and articles whose words come from a
/// small vocabulary, so that every test word occurs in some places and not in others.
func syntheticCorpus(issues: Int, seed: UInt64) -> Corpus {
    var state = seed
    func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
    let words = ["科创", "金融", "国资", "改革", "营业收入", "硬科技", "基金", "园区", "机场", "数字化", "2023年", "同比增长", "3.5%", "ab", "a b"]
    let sections = ["重要动态", "金融工作", "国企之窗", "科创动态"]
    let orgs = ["上海国际集团", "机场集团", "临港集团", "上海市国资委"]
    var documents: [(path: String, bytes: [UInt8])] = []
    for i in 0..<issues {
        var text = "国资简报 \(2019 + i % 6)年第\(i % 12 + 1)期\n"
        for s in 0..<(1 + next(3)) {
            text += "· \(sections[(i + s) % sections.count])\n"
            for a in 0..<(1 + next(4)) {
                text += "标题\(i)-\(s)-\(a)\(words[next(words.count)])\n"
                for _ in 0..<(1 + next(4)) {
                    var paragraph = "开头"
                    for _ in 0..<(8 + next(30)) { paragraph += words[next(words.count)] + "，" }
                    text += paragraph + "结束。\n"
                    if next(6) == 0 { text += "小标题\(words[next(words.count)])\n" }
                }
                text = String(text.dropLast()) + "（\(orgs[next(orgs.count)])）\n"
            }
        }
        documents.append(("mem/\(2019 + i % 6)-\(String(format2: i % 12 + 1))-\(i).txt", Array(text.utf8)))
    }
    return Corpus(CorpusLoader.load(documents: documents))
}

extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : String(n) }
}

/// Runs statements through a session over `corpus`; standard output and errors as text.
func run(_ corpus: Corpus, _ statements: String, bail: Bool = false) throws -> (out: String, err: String) {
    let out = Output(), err = Output()
    let session = Session(corpus: corpus, mode: .tsv, style: OutputStyle(headers: false), bail: bail, out: out, err: err)
    for line in statements.split(separator: "\n") { _ = try session.feed(String(line)) }
    try session.finish()
    return (out.text, err.text)
}

@Suite struct EvaluatorTests {
    static let corpus = syntheticCorpus(issues: 300, seed: 7)

    /// The fast paths give what a naive scan over Strings gives.
    @Test(arguments: ["科创", "营业收入", "硬科技", "a b", "结束。", "开头科创", "不存在的词", "，"])
    func bodyContainsEqualsNaiveScan(_ word: String) throws {
        let corpus = Self.corpus
        var articles = 0, paragraphs = 0, titles = 0, sentences = 0
        for issue in corpus.issues {
            for article in issue.articles {
                let paras = issue.blocks(of: article, .paragraph).map { issue.string($0.range) }
                if paras.contains(where: { $0.contains(word) }) { articles += 1 }
                paragraphs += paras.filter { $0.contains(word) }.count
                if issue.title(of: article).contains(word) { titles += 1 }
                for p in issue.blocks(of: article, .paragraph) {
                    let pieces = issue.text.withUnsafeBufferPointer { Sentences.split($0, p.range) }
                    sentences += pieces.filter { issue.string($0).contains(word) }.count
                }
            }
        }
        let (out, err) = try run(corpus, """
            count articles where body contains "\(word)"
            count paragraphs where text contains "\(word)"
            count articles where title contains "\(word)"
            count sentences where text contains "\(word)"
            """)
        #expect(err == "")
        #expect(out == "\(articles)\n\(paragraphs)\n\(titles)\n\(sentences)\n")
        #expect(articles > 0 || word == "不存在的词")
    }

    @Test(arguments: ["金融工作", "国企之窗", "科创动态"])
    func sectionEqualsNaiveScan(_ name: String) throws {
        let corpus = Self.corpus
        var articles = 0, sections = 0, notIn = 0
        for issue in corpus.issues {
            for section in issue.sections where issue.string(section.name) == name { sections += 1 }
            for article in issue.articles {
                let s = issue.sectionName(Int(article.section))
                if s == name { articles += 1 }
                if s != name && s != "重要动态" { notIn += 1 }
            }
        }
        let (out, _) = try run(corpus, """
            count articles where section = \(name)
            count sections where name = \(name)
            count articles where section not in (\(name), 重要动态)
            """)
        #expect(out == "\(articles)\n\(sections)\n\(notIn)\n")
    }

    @Test func regexMatchesEqualNaiveScan() throws {
        let corpus = Self.corpus
        let pattern = "营业收入[，、]?(科创|金融)"
        let regex = try Regex(pattern)
        #expect(regex.requiredLiteral == Array("营业收入".utf8))
        var expected = 0
        for issue in corpus.issues {
            for article in issue.articles {
                if try issue.blocks(of: article, .paragraph).contains(where: { try regex.matches(issue.string($0.range)) }) { expected += 1 }
            }
        }
        let (out, _) = try run(corpus, "count articles where body matches \"\(pattern)\"")
        #expect(out == "\(expected)\n")
        #expect(expected > 0)
    }

    @Test func andOrNotCombineLikeBooleans() throws {
        let corpus = Self.corpus
        var expected = 0
        for issue in corpus.issues {
            for article in issue.articles {
                let body = issue.blocks(of: article, .paragraph).map { issue.string($0.range) }.joined(separator: "\n")
                let section = issue.sectionName(Int(article.section))
                let source = issue.sources(of: article).first ?? ""
                if (body.contains("科创") || section == "金融工作") && !(source == "机场集团") && (issue.date?.year ?? 0) >= 2021 {
                    expected += 1
                }
            }
        }
        let (out, _) = try run(corpus, "count articles where (body contains 科创 or section = 金融工作) and not source = 机场集团 and year >= 2021")
        #expect(out == "\(expected)\n")
    }

    @Test func orderLimitOffsetAndCountBy() throws {
        let corpus = Self.corpus
        let (out, _) = try run(corpus, """
            select articles id, chars order by chars desc, id limit 3 offset 1
            count articles by source
            """)
        var rows: [(Int, Int)] = []
        var id = 0
        for issue in corpus.issues {
            for article in issue.articles {
                id += 1
                rows.append((issue.characterCount(of: article), id))
            }
        }
        rows.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let top = rows[1...3].map { "\($0.1)\t\($0.0)" }.joined(separator: "\n")
        #expect(out.hasPrefix(top + "\n"))
        let counts = out.split(separator: "\n").dropFirst(3).map { Int($0.split(separator: "\t", omittingEmptySubsequences: false)[1])! }
        #expect(counts == counts.sorted(by: >))
        #expect(counts.reduce(0, +) == corpus.articleCount)
    }

    @Test func datesCompareByPrefixAndSharedPrecision() throws {
        let corpus = Corpus(CorpusLoader.load(documents: [
            ("a/2024.txt", Array("2024年第1期\n· 动态\n标题\n正文。（甲）".utf8)),
            ("a/2024-03.txt", Array("· 动态\n标题\n正文。（甲）".utf8)),
            ("a/2024-03-15.txt", Array("· 动态\n标题\n正文。（甲）".utf8)),
            ("a/2024-04-01.txt", Array("· 动态\n标题\n正文。（甲）".utf8)),
            ("a/nodate.txt", Array("· 动态\n标题\n正文。（甲）".utf8)),
        ]))
        let (out, _) = try run(corpus, """
            select issues id where date = 2024-03
            select issues id where date <= 2024-03
            select issues id where date < 2024-03
            select issues id where date > 2024-03
            select issues id where date != 2024
            select issues id where year in (2024)
            """)
        #expect(out.split(separator: "\n") == [
            "2024-03", "2024-03-15",
            "2024", "2024-03", "2024-03-15",
            "2024-04-01",
            "nodate",
            "2024", "2024-03", "2024-03-15", "2024-04-01",
        ])
    }

    /// PCRE2 rules some patterns out at once (a required `b` that never occurs); one it cannot,
    /// `^(a+)+$` against a long run of a's, reaches the match limit and fails with an error in
    /// milliseconds instead of running for ages. Nothing is written for a failed statement.
    @Test func catastrophicPatternFailsQuicklyWithAnError() throws {
        let a = String(repeating: "a", count: 5000)
        let corpus = Corpus(CorpusLoader.load(documents: [("x/t.txt", Array("· 动态\n标题\n\(a)。（甲）".utf8))]))
        let (out, err) = try run(corpus, """
            count articles where body matches "(a+)+b"
            count articles where body matches "^(a+)+$"
            select paragraphs n where text matches "^(a+)+$"
            """)
        #expect(out == "0\n")
        #expect(err.components(separatedBy: "error: regular expression too complex").count == 3, "\(err)")
    }

    /// The evaluator asks its interrupt check (the SIGINT flag in the program; always true
    /// here, so that no other test running in parallel sees a global flag).
    @Test func interruptStopsAStatement() throws {
        let corpus = Self.corpus
        var formatter: any ResultFormatter = TSVFormatter(headers: false)
        var resolver = Resolver(corpus: corpus)
        var parser = try Parser("count articles where body contains 科创")
        let plan = try resolver.resolve(try parser.statements()[0].0)
        #expect(throws: QueryError(.interrupted, span: 0..<0)) {
            try Evaluator(corpus: corpus, isInterrupted: { true }).run(plan, formatter: &formatter, to: Output())
        }
    }

    @Test func unknownNamesGiveANoteAndNoRows() throws {
        let (out, err) = try run(Self.corpus, "select articles id where section = 金融工做\ncount articles where source in (机场集团, 机场)")
        #expect(out.hasSuffix("\n") && !out.contains("\t"))
        #expect(err.contains("note: no section is named '金融工做'; the result is empty; closest: 金融工作"))
        // 机场集团 exists, so the result is not empty and the note does not say it is.
        #expect(err.contains("note: no source is named '机场'; closest: 机场集团"))
    }
}

@Suite struct RequiredLiteralTests {
    @Test(arguments: [
        ("营业收入\\d+亿元", "营业收入"), ("营业收入[，、]?(科创|金融)", "营业收入"), ("a|b", nil), ("(?i)abc", nil),
        ("科创板?", "科创"), ("x*科创", "科创"), ("同比(增长|下降)\\d+(\\.\\d+)?%", "同比"), ("\\d+万亿元", "万亿元"),
        ("[科创]+", nil), ("a.b", "a"), ("\\.\\d", "."), ("a{2}b", "b"), ("\\p{Han}+集团", "集团"),
    ] as [(String, String?)])
    func literal(_ pattern: String, _ expected: String?) throws {
        #expect(try Regex(pattern).requiredLiteral == expected.map { Array($0.utf8) })
    }
}
