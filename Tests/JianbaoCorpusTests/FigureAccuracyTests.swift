import Foundation
import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// The labelled set (Figures/labelled.txt): precision and recall of finding figures, and the
/// accuracy of each field of the figures found (docs/FIGURES.md quotes the numbers).
@Suite struct FigureAccuracyTests {
    struct Gold {
        var metric: String, value: Double, unit: String, qualifier: String, change: Double?, period: Int?, subject: String
    }

    /// A unit of the set: a corpus issue or a written paragraph, with its gold figures.
    struct Unit {
        var issueID: String
        var gold: [Gold] = []
    }

    static func load() throws -> (Corpus, [Unit]) {
        let text = try String(contentsOfFile: TestPaths.packageRoot + "/Tests/JianbaoCorpusTests/Figures/labelled.txt", encoding: .utf8)
        var units: [Unit] = []
        var documents: [(path: String, bytes: [UInt8])] = []
        var year = "-"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("@ ") {
                units.append(Unit(issueID: String(line.dropFirst(2))))
            } else if line.hasPrefix("Y ") {
                year = String(line.dropFirst(2))
            } else if line.hasPrefix("P ") {
                let id = "labelled-\(documents.count)" + (year == "-" ? "" : "_\(year)-01-01")
                documents.append(("labelled/\(id).txt", Array("· 测试\n标题\n\(line.dropFirst(2))\n".utf8)))
                units.append(Unit(issueID: id))
            } else if line.hasPrefix("F ") {
                let f = line.dropFirst(2).split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
                try #require(f.count == 7, "bad line: \(line)")
                units[units.count - 1].gold.append(Gold(metric: f[0], value: Double(f[1])!, unit: f[2], qualifier: f[3],
                                                        change: Double(f[4]), period: Int(f[5]), subject: f[6]))
            }
        }
        var result = CorpusLoader.load(paths: [TestPaths.seed, TestPaths.examples])
        result.issues += CorpusLoader.load(documents: documents).issues
        return (Corpus(result), units)
    }

    @Test func precisionRecallAndFieldAccuracy() throws {
        let (corpus, units) = try Self.load()
        let index = Dictionary(uniqueKeysWithValues: corpus.issues.enumerated().map { ($1.id, $0) })
        var found = 0, predicted = 0, gold = 0
        var right: [String: Int] = [:]
        var misses: [String] = []
        for unit in units {
            let i = try #require(index[unit.issueID], "no issue \(unit.issueID)")
            let issue = corpus.issues[i]
            var candidates = Array(corpus.figures.figures[i])
            predicted += candidates.count
            gold += unit.gold.count
            for g in unit.gold {
                guard let m = candidates.firstIndex(where: { abs($0.value - g.value) < 1e-9 && $0.unit == g.unit }) else {
                    misses.append("missed \(unit.issueID): \(g.metric) \(g.value)\(g.unit)")
                    continue
                }
                let p = candidates.remove(at: m)
                found += 1
                let fields: [(String, Bool)] = [
                    ("metric", p.metric == g.metric), ("qualifier", p.qualifier == g.qualifier),
                    ("change", p.change == g.change), ("period", p.period == g.period), ("subject", p.subject == g.subject),
                ]
                for (name, ok) in fields {
                    if ok { right[name, default: 0] += 1 } else {
                        misses.append("\(name) \(unit.issueID) \(g.value)\(g.unit): got '\(Self.describe(p, name))', want '\(Self.describe(g, name))'")
                    }
                }
            }
            for p in candidates { misses.append("extra \(unit.issueID): \(p.metric) \(p.value)\(p.unit) «\(issue.string(p.text))»") }
        }
        let precision = Double(found) / Double(max(1, predicted))
        let recall = Double(found) / Double(max(1, gold))
        var report = "figures: \(gold) labelled, \(predicted) found, \(found) matched; precision \(Self.f(precision)), recall \(Self.f(recall)), F1 \(Self.f(2 * precision * recall / max(1e-9, precision + recall)))\n"
        for name in ["metric", "qualifier", "change", "period", "subject"] {
            report += "  \(name): \(Self.f(Double(right[name, default: 0]) / Double(max(1, found)))) (\(right[name, default: 0])/\(found))\n"
        }
        print(report)
        for miss in misses { print("  · " + miss) }
        // The whole report, misses included, where FIGURE_REPORT says (docs/FIGURES.md).
        if let path = ProcessInfo.processInfo.environment["FIGURE_REPORT"] {
            try (report + "\n" + misses.map { "  · " + $0 }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(gold >= 276, "the set needs the seed's and the sample's figures and 150 more")
        #expect(precision >= 0.95)
        #expect(recall >= 0.95)
    }

    static func f(_ x: Double) -> String { String(format: "%.3f", x) }

    /// A number as the program writes it (3.65, 3650000000000).
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e18 ? String(Int64(x)) : x.description
    }

    static func describe(_ p: Figure, _ field: String) -> String {
        describe(Gold(metric: p.metric, value: p.value, unit: p.unit, qualifier: p.qualifier, change: p.change,
                      period: p.period, subject: p.subject), field)
    }

    static func describe(_ g: Gold, _ field: String) -> String {
        switch field {
        case "metric": return g.metric
        case "qualifier": return g.qualifier
        case "change": return g.change.map { "\($0)" } ?? ""
        case "period": return g.period.map(String.init) ?? ""
        default: return g.subject
        }
    }

    /// The seed's paragraph of four figures comes out exactly, field by field (FORMAT.md): the
    /// subject named before the first carries to all four (issue 13).
    @Test func seedParagraphExactly() throws {
        let corpus = Corpus(CorpusLoader.load(paths: [TestPaths.seed]))
        let issue = corpus.issues[0]
        let figures = corpus.figures.figures[0].filter { issue.blocks[Int($0.block)].line == 9 }
        let rows = figures.map { f in
            [f.metric, Self.number(f.value), f.unit, Self.number(f.amount), f.change.map(Self.number) ?? "", f.period.map(String.init) ?? "", f.subject].joined(separator: " | ")
        }
        #expect(rows == [
            "营业收入 | 3.65 | 万亿元 | 3650000000000 | 0.8 | 2023 | 本市地方国有企业",
            "利润总额 | 2629.87 | 亿元 | 262987000000 | 3.4 | 2023 | 本市地方国有企业",
            "归母净利润 | 1685.16 | 亿元 | 168516000000 | 0 | 2023 | 本市地方国有企业",
            "资产总额 | 29.07 | 万亿元 | 29070000000000 | 4.2 | 2023 | 本市地方国有企业",
        ])
        #expect(figures.map { issue.string($0.text) } == ["营业收入3.65万亿元", "利润总额2629.87亿元", "归母净利润1685.16亿元", "资产总额29.07万亿元"])
        #expect(figures.allSatisfy { $0.base == "元" && $0.qualifier.isEmpty })
    }

    /// Absurd input: no crash, no overflow trap, no hang.
    @Test func absurdNumbersAndUnbalancedText() throws {
        let huge = String(repeating: "9", count: 300)
        let long = String(repeating: "营业收入同比增长（其中", count: 10_000)
        let text = "· 动态\n标题\n营业收入\(huge)亿元，利润1e400亿元，资产总额（其中（（3.5万亿元，同比增长\(huge)%。\(long)12亿元。\n"
        let corpus = Corpus(CorpusLoader.load(documents: [("x/absurd.txt", Array(text.utf8))]))
        let figures = corpus.figures.figures[0]
        #expect(figures.contains { $0.metric == "营业收入" && $0.unit == "亿元" })
        #expect(figures.contains { $0.value == 12 })
    }
}

