import Testing
@testable import JianbaoCorpus

/// One table per rule of docs/FIGURES.md (issue 13), in sentences written for these tests:
/// each case is a paragraph, the issue date, and what one of its figures must read.
@Suite struct FigureRuleTests {
    /// The figures of one paragraph in an issue of `date` (YYYY-MM-DD, or "" for none).
    static func figures(_ paragraph: String, date: String = "") -> [Figure] {
        let name = date.isEmpty ? "x/rule.txt" : "x/\(date).txt"
        let corpus = Corpus(CorpusLoader.load(documents: [(name, Array("· 动态\n标题\n\(paragraph)\n".utf8))]))
        return Array(corpus.figures.figures[0])
    }

    /// The figure whose number is `value` (and unit, when given).
    static func figure(_ paragraph: String, _ value: Double, date: String = "") -> Figure? {
        figures(paragraph, date: date).first { $0.value == value }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String, value: Double, want: String, date = ""
        var testDescription: String { "\(text) → \(want)" }
    }

    // MARK: Subject

    static let subjects: [Case] = [
        // Carried through the paragraph across ；and 。, until another is named.
        Case(text: "全区国有企业实现营业收入120亿元，同比增长3%；利润总额8.5亿元。截至年底，资产总额900亿元。", value: 900, want: "全区国有企业"),
        Case(text: "甲集团实现营业收入50亿元；乙集团实现营业收入40亿元，利润总额2亿元。", value: 2, want: "乙集团"),
        // Never the tail of a date or a count.
        Case(text: "2022年全区国有企业实现利润总额12亿元。", value: 12, want: "全区国有企业"),
        Case(text: "18家区属企业实现营业收入300亿元。", value: 300, want: "区属企业"),
        // The owner written in front of its metric.
        Case(text: "截至6月末，某某市属国企资产总额达2.1万亿元。", value: 2.1, want: "某某市属国企"),
        // X的Y: X owns Y.
        Case(text: "2021年，地方国有企业的劳动生产率人均达到50.2万元。", value: 50.2, want: "地方国有企业"),
        // 其中 parts name their own subject and take the metric before.
        Case(text: "全省港口完成货物吞吐量9.1亿吨。其中:沿海港口6.2亿吨，内河港口2.9亿吨。", value: 2.9, want: "内河港口"),
        // A change standing alone belongs to the owner it names, in the metric before it.
        Case(text: "全市国有企业利润总额800亿元，同比增长5%，其中市属企业同比增长7.5%。", value: 7.5, want: "市属企业"),
        // A short name refers back to the fuller one that opened a clause before.
        Case(text: "3月1日，某某市新能源产业基金发布，基金总规模达30亿元，首期规模10亿元。", value: 10, want: "某某市新能源产业基金"),
        Case(text: "某某区科技创新引导基金由区财政局发起。引导基金规模8亿元。", value: 8, want: "某某区科技创新引导基金"),
        // …but not to a clause that ends with it.
        Case(text: "今年以来，加速了园区建设。园区新增企业20家。", value: 20, want: "园区"),
        Case(text: "吸引了生物医药等特色产业园区落地。园区实现产值50亿元。", value: 50, want: "园区"),
        // The level of government a budget belongs to.
        Case(text: "2014年，市本级国有资本经营收入46亿元，增长18.8%。其中：资本性支出40亿元。", value: 40, want: "市本级"),
        // A note in parentheses between the owner and its verb is passed over.
        Case(text: "2023年，某市地方国有企业（不含金融企业）实现营业收入300亿元，利润总额20亿元。", value: 20, want: "某市地方国有企业"),
        // A known owner standing alone before a number is a part, even without 其中.
        Case(text: "1-6月，国有企业利润总额900亿元，同比下降1%。（1）中央企业600亿元，同比下降3%。（2）地方国有企业300亿元。", value: 600, want: "中央企业"),
        Case(text: "9月末，国有企业资产负债率64.2%，同比下降0.1个百分点，中央企业66.8%，同比下降0.5个百分点。", value: 66.8, want: "中央企业"),
        Case(text: "9月末，国有企业资产负债率64.2%，同比下降0.1个百分点，中央企业66.8%，同比下降0.5个百分点。", value: 64.2, want: "国有企业"),
        // A change standing alone after a part is the part's.
        Case(text: "国有企业利润总额900亿元，同比增长20%。其中中央企业600亿元，同比增长18%，两年平均增长9%。", value: 9, want: "中央企业"),
        // A new paragraph starts without one (the first figure here has no owner).
        Case(text: "营业收入100亿元，同比增长2%。", value: 100, want: ""),
    ]

    @Test(arguments: subjects) func subject(_ c: Case) throws {
        let f = try #require(Self.figure(c.text, c.value, date: c.date), "no figure \(c.value)")
        #expect(f.subject == c.want)
    }

    // MARK: Metric

    static let metrics: [Case] = [
        // A known owner before a number takes the metric of the figure before.
        Case(text: "1-6月，国有企业利润总额900亿元，同比下降1%。（1）中央企业600亿元，同比下降3%。", value: 600, want: "利润总额"),
        Case(text: "9月末，国有企业资产负债率64.2%，同比下降0.1个百分点，中央企业66.8%，同比下降0.5个百分点。", value: 66.8, want: "资产负债率"),
        Case(text: "2014年，市本级国有资本经营收入46亿元，增长18.8%。", value: 46, want: "国有资本经营收入"),
        // A figure with no name right after another, joined by 、, counts the same thing.
        Case(text: "1至6月，去程4620列、49.9万标箱；回程4021列、43.7万标箱。", value: 49.9, want: "去程"),
        Case(text: "1至6月，去程4620列、49.9万标箱；回程4021列、43.7万标箱。", value: 43.7, want: "回程"),
        // 建成 is a verb, not part of what was built.
        Case(text: "全年建成码头泊位5个，新开航线12条。", value: 5, want: "码头泊位"),
        Case(text: "今年以来，该市新建成充电桩3200个。", value: 3200, want: "充电桩"),
    ]

    @Test(arguments: metrics) func metric(_ c: Case) throws {
        let f = try #require(Self.figure(c.text, c.value, date: c.date), "no figure \(c.value)")
        #expect(f.metric == c.want)
    }

    // MARK: Change

    static let changes: [Case] = [
        Case(text: "营业收入200亿元，同比增长4.5%。", value: 200, want: "4.5 % 同比"),
        Case(text: "营业收入200亿元、增长4.5%。", value: 200, want: "4.5 % 同比"),
        Case(text: "资产负债率61.2%，较上年同期下降0.4个百分点。", value: 61.2, want: "-0.4 个百分点 同比"),
        Case(text: "存款余额3000亿元，比年初增长6%。", value: 3000, want: "6 % 比年初"),
        Case(text: "截至6月末，资产总额1.2万亿元，较上年末增长3.9%。", value: 1.2, want: "3.9 % 比年初"),
        Case(text: "负债总额7200亿元，比去年底下降2%。", value: 7200, want: "-2 % 比年初"),
        Case(text: "旅客吞吐量4000万人次，较2019年增长12%。", value: 4000, want: "12 % 较2019年"),
        Case(text: "出口额90亿元，环比下降1.5%。", value: 90, want: "-1.5 % 环比"),
        Case(text: "利润总额500亿元，同比增长20%，两年平均增长8%。", value: 8, want: "8 % 两年平均"),
        Case(text: "净利润12亿元，增长1.2倍。", value: 12, want: "120 倍 同比"),
        Case(text: "营业收入88亿元（同比增长9%），利润3亿元。", value: 88, want: "9 % 同比"),
        Case(text: "营业收入100亿元、利润总额10亿元，同比分别增长5%、8%。", value: 10, want: "8 % 同比"),
        Case(text: "营业收入100亿元和利润总额10亿元，同比增长5%和8%。", value: 100, want: "5 % 同比"),
        Case(text: "利润总额60亿元，与去年同期持平。", value: 60, want: "0 % 同比"),
        // An amount's change after a percentage of its clause; a change in points stays the
        // percentage's.
        Case(text: "全区税收收入46亿元，为年度预算的101.1%，增长18.8%。", value: 46, want: "18.8 % 同比"),
        Case(text: "全区税收收入46亿元，为年度预算的101.1%，增长18.8%。", value: 101.1, want: ""),
        Case(text: "利润总额10亿元，利润率8%，提高0.5个百分点。", value: 8, want: "0.5 个百分点 同比"),
        Case(text: "利润总额10亿元，利润率8%，提高0.5个百分点。", value: 10, want: ""),
        // The rate written after the absolute change (同比减少6亿元，减幅为13%).
        Case(text: "某集团实现利润40亿元，同比减少6亿元，减幅为13%。", value: 40, want: "-13 % 同比"),
        Case(text: "净利润20亿元，同比增加2亿元，增幅为11%。", value: 20, want: "11 % 同比"),
    ]

    @Test(arguments: changes) func change(_ c: Case) throws {
        let f = try #require(Self.figure(c.text, c.value, date: c.date), "no figure \(c.value)")
        let got = f.change.map { "\(FigureRuleTests.number($0)) \(f.changeUnit) \(f.changeBasis)" } ?? ""
        #expect(got == c.want)
    }

    @Test func absoluteChange() throws {
        let f = try #require(Self.figure("全区共有国有企业120家，较上年增加12家。", 120))
        #expect(f.changeAbsolute == 12)
        #expect(Self.figures("全区共有国有企业120家，较上年增加12家。").count == 1, "the change is no figure of its own")
        let g = try #require(Self.figure("资产总额800亿元，同比增加60亿元，同比增长8.1%。", 800))
        #expect(g.changeAbsolute == 60 && g.change == 8.1)
        // 增利/减利: a change of profit in one word.
        let h = try #require(Self.figure("1-5月累计实现利润420亿元，同比增利180亿元。", 420))
        #expect(h.changeAbsolute == 180)
        #expect(Self.figure("1-5月累计实现利润420亿元，同比增利180亿元。", 180) == nil, "the change is no figure of its own")
        #expect(Self.figure("某公司利润总额30亿元，同比减利4亿元。", 30)?.changeAbsolute == -4)
        let k = try #require(Self.figure("某集团实现利润40亿元，同比减少6亿元，减幅为13%。", 40))
        #expect(k.changeAbsolute == -6)
    }

    // MARK: Period and span

    static let spans: [Case] = [
        Case(text: "2023年，营业收入100亿元。", value: 100, want: "2023 year"),
        Case(text: "2023年1-10月，营业收入100亿元。", value: 100, want: "2023 ytd-10"),
        Case(text: "上半年，营业收入100亿元。", value: 100, want: "2024 h1", date: "2024-07-20"),
        Case(text: "1—3月，营业收入100亿元。", value: 100, want: "2024 q1", date: "2024-04-20"),
        Case(text: "1-12月，营业收入100亿元。", value: 100, want: "2023 year", date: "2024-01-25"),
        Case(text: "截至9月末，资产总额100亿元。", value: 100, want: "2024 ytd-9", date: "2024-10-25"),
        Case(text: "一季度，营业收入100亿元。", value: 100, want: "2024 q1", date: "2024-04-25"),
        Case(text: "前三季度，营业收入100亿元。", value: 100, want: "2024 ytd-9", date: "2024-10-25"),
        Case(text: "今年前两个月，营业收入100亿元。", value: 100, want: "2024 ytd-2", date: "2024-03-07"),
        Case(text: "5月份，营业收入100亿元。", value: 100, want: "2024 month", date: "2024-06-10"),
        Case(text: "截至2023年底，资产总额100亿元。", value: 100, want: "2023 year"),
        Case(text: "营业收入100亿元，较1-10月有所加快。", value: 100, want: " "),
        Case(text: "2023年3月22日召开的会上通报，营业收入100亿元。", value: 100, want: "2023 "),
        // A time named in parentheses holds only inside them.
        Case(text: "1-9月，营业收入100亿元，两年平均增长9%（以2019年数据为基数计算）。其中甲集团60亿元。", value: 60, want: "2021 ytd-9", date: "2021-10-28"),
        Case(text: "2023年，营业收入100亿元（2022年为90亿元），利润20亿元。", value: 90, want: "2022 year"),
        Case(text: "2023年，营业收入100亿元（2022年为90亿元），利润20亿元。", value: 20, want: "2023 year"),
    ]

    @Test(arguments: spans) func periodAndSpan(_ c: Case) throws {
        let f = try #require(Self.figure(c.text, c.value, date: c.date), "no figure \(c.value)")
        #expect("\(f.period.map(String.init) ?? "") \(f.span)" == c.want)
    }

    // MARK: Numbers, units, qualifiers

    @Test func unitsAndRanges() throws {
        let rmb = try #require(Self.figure("营业收入38250.4亿元人民币。", 38250.4))
        #expect(rmb.unit == "亿元人民币" && rmb.base == "元" && rmb.amount == 3825040000000)
        let usd = try #require(Self.figure("出口额20亿美元。", 20))
        #expect(usd.base == "美元")
        let converted = Self.figures("营业收入500亿元（折合74.3亿美元）。")
        #expect(converted.map(\.metric) == ["营业收入", "营业收入"])
        #expect(Self.figure("集装箱吞吐量500TEU。", 500)?.unit == "TEU")
        #expect(Self.figure("集装箱吞吐量2.5万标准箱。", 2.5)?.unit == "万标准箱")
        let range = try #require(Self.figure("计划投资3至5亿元。", 3))
        #expect(range.valueHigh == 5 && range.qualifier == "至" && range.amount == 300_000_000)
        #expect(Self.figure("计划投资3—5亿元。", 3)?.valueHigh == 5)
        #expect(Self.figure("累计投资1300多亿元。", 1300)?.qualifier == "多")
        #expect(Self.figure("服务企业1万余家。", 1)?.qualifier == "余")
    }

    static let notFigures = [
        "该企业营业收入位居全国前10位。", "在评比中获得第3名。", "营业收入居全国第7。", "10年来累计投资。",
        "年营业收入2000万元以上的企业有30家。", "C919首架交付。", "已建成5G基站。",
    ]

    @Test(arguments: notFigures) func notAFigure(_ text: String) {
        let found = Self.figures(text)
        #expect(!found.contains { [10, 3, 7, 2000, 919, 5].contains($0.value) }, "\(found.map { "\($0.value)\($0.unit)" })")
    }

    static let qualifiers: [Case] = [
        Case(text: "营业收入约为50亿元。", value: 50, want: "约"),
        Case(text: "营业收入达到50亿元。", value: 50, want: ""),
        Case(text: "营业收入超过50亿元。", value: 50, want: "超过"),
        Case(text: "营业收入可达50亿元。", value: 50, want: "可达"),
        Case(text: "营业收入50亿元左右。", value: 50, want: "左右"),
        Case(text: "累计完成投资50亿元。", value: 50, want: ""),
    ]

    @Test(arguments: qualifiers) func qualifier(_ c: Case) throws {
        let f = try #require(Self.figure(c.text, c.value), "no figure \(c.value)")
        #expect(f.qualifier == c.want)
    }

    @Test func cumulativeIsAFlagNotAQualifier() throws {
        let f = try #require(Self.figure("园区累计完成投资50亿元，今年新增投资8亿元。", 50))
        #expect(f.cumulative && f.qualifier.isEmpty)
        #expect(Self.figure("园区累计完成投资50亿元，今年新增投资8亿元。", 8)?.cumulative == false)
    }

    @Test func netProfitIsNotItsParentsShare() {
        #expect(Lexicon.current.aliases["净利润"] == nil)
    }

    @Test func organisationsCompareByCanonicalName() {
        #expect(Lexicon.current.canonicalName("市国资委") == "上海市国资委")
        #expect(Lexicon.current.names(sameAs: "市国资委").contains("上海市国资委"))
        #expect(Lexicon.current.canonicalName("某某公司") == "某某公司")
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() ? String(Int64(x)) : String(x)
    }
}
