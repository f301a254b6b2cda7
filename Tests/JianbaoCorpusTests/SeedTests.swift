import Testing
@testable import JianbaoCorpus

/// The seed issue loads exactly as FORMAT.md's table "What the loader must produce" says.
@Suite struct SeedTests {
    let issue: Issue
    let diagnostics: [Diagnostic]

    init() throws {
        let result = CorpusLoader.load(paths: [seedPath])
        diagnostics = result.diagnostics
        issue = try #require(result.issues.first)
    }

    @Test func matchesFormatTable() {
        #expect(outline(issue) == [
            "重要动态 | 上海市国资国企改革发展暨党建工作会议召开 | 上海市国资委 | 8 | 0",
            "金融工作 | 金融国资参与“投早投小投科技” / 上海国际集团发起设立早期硬科技基金 | 上海国际集团 | 4 | 0",
            "国企之窗 | 长三角绿洲智谷在“世界级料子”上 / “种”出一片“科创森林” | 长三角投资公司 | 9 | 3",
            "国企之窗 | 机场集团以最优服务保障旅客春运平安便捷温馨出行 | 机场集团 | 4 | 0",
            "国企之窗 | “数字江海”数字底座建设上线 / 临港集团打造数字化国际产业城区 | 临港集团 | 5 | 2",
        ])
    }

    @Test func headerDateAndDiagnostics() {
        #expect(issue.id == "000_b3e8f2f70fe3def7")
        #expect(issue.date == nil)
        #expect(issue.header.isEmpty)
        #expect(issue.title == "")
        #expect(diagnostics.isEmpty)
        #expect(issue.sections.map { issue.string($0.name) } == ["重要动态", "金融工作", "国企之窗"])
    }

    @Test func subheadingsAndSourceLeftOutOfParagraphs() {
        let third = issue.articles[2]
        #expect(issue.blocks(of: third, .subheading).map { issue.string($0.range) } == [
            "乘势一体化 先行示范汇聚势能", "精绘实景图 厚植沃土孕育创新", "助推高质量 “科创森林”更显生机",
        ])
        let last = issue.blocks(of: issue.articles[0], .paragraph).last!
        #expect(issue.string(last.range).hasSuffix("等方面作交流发言。"))
        #expect(issue.blocks(of: issue.articles[0], .paragraph)[6].line == 9)
    }
}
