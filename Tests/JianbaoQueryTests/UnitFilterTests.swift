import Testing
import JianbaoCorpus
@testable import JianbaoQuery

/// `where unit = …` and `where base = …` on figures test each unit code once; the answer is
/// the one a row-by-row look at `select figures unit, base` gives.
@Suite struct UnitFilterTests {
    static let corpus = Corpus(CorpusLoader.load(documents: SampleCorpus.documents))

    @Test(arguments: ["unit = 亿元", "base = 元", "base != 元", "unit in (万亿元, 亿元)", "base contains 次", "not base = %"])
    func unitConditionsMatchARowByRowLook(_ condition: String) throws {
        let all = try run(Self.corpus, "select figures unit, base").out.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let expected = all.filter { row in
            let (unit, base) = (row[0], row[1])
            switch condition {
            case "unit = 亿元": return unit == "亿元"
            case "base = 元": return base == "元"
            case "base != 元": return base != "元"
            case "unit in (万亿元, 亿元)": return unit == "万亿元" || unit == "亿元"
            case "base contains 次": return base.contains("次")
            default: return base != "%"
            }
        }.count
        #expect(expected > 0)
        let counted = try run(Self.corpus, "count figures where \(condition)").out
        #expect(counted == "\(expected)\n", "\(condition)")
    }
}
