import Testing
@testable import JianbaoQuery
@testable import JianbaoCorpus

@Suite struct CompleterTests {
    static let completer = Completer(corpus: Corpus(CorpusLoader.load(documents: SampleCorpus.documents)))

    /// The text before the cursor → the word being completed and the first candidates.
    @Test(arguments: [
        ("", "", ["collocates", "count", "freq", "keywords", "kwic", "metric", "select", "show", "trend"]),
        ("freq ", "", ["bigrams", "chars", "metrics", "ngrams", "sources", "words"]),
        ("trend 科创 ", "", ["by", "where"]),
        ("trend 科创 by ", "", ["issue", "month", "section", "source", "year"]),
        ("keywords ", "", ["where"]),
        ("keywords where year = 2023 ", "", ["and", "limit", "min", "negative", "offset", "or", "vs"]),
        ("freq words where sec", "sec", ["section"]),
        ("kwic 科创 where section = 金融", "金融", ["金融工作"]),
        ("kwic 科创 w", "w", ["where", "width"]),
        ("collocates 基金 w", "w", ["where", "window"]),
        ("freq words where year = 2023 ", "", ["and", "limit", "offset", "or"]),
        ("sel", "sel", ["select"]),
        ("SEL", "SEL", ["select"]),
        ("select art", "art", ["articles"]),
        ("count ", "", ["articles", "figures", "issues", "paragraphs", "sections", "sentences", "sources"]),
        ("metric 营", "营", ["营业收入"]),
        ("metric 营业收入 by ye", "ye", ["year"]),
        ("metric 营业收入 where sub", "sub", ["subject"]),
        ("select articles ti", "ti", ["title", "title_lines"]),
        ("select articles title, so", "so", ["source", "sources"]),
        ("select articles where sec", "sec", ["section"]),
        ("select articles where section = 金", "金", ["金融工作"]),
        ("select articles where section = ", "", ["国企之窗", "重要动态", "金融工作"]),
        ("select articles where section in (重要动态, 国", "国", ["国企之窗"]),
        ("select articles where source = 上海国", "上海国", ["上海国资公司", "上海国际集团"]),
        ("select articles where source contains 机", "机", ["机场集团"]),
        ("select sections where name = 金融", "金融", ["金融工作"]),
        ("select sources where name = 临", "临", ["临港新片区管委会", "临港集团"]),
        ("select articles where section = \"国企", "国企", ["国企之窗"]),
        ("select articles where title con", "con", ["contains"]),
        ("select title from ar", "ar", ["articles"]),
        ("count articles by ye", "ye", ["year"]),
        ("select articles order by da", "da", ["date"]),
        ("select articles where year > 2020 an", "an", ["and"]),
        ("count issues; select sec", "sec", ["sections"]),
        (".mo", ".mo", [".mode"]),
        (".mode js", "js", ["json", "jsonl"]),
        (".headers o", "o", ["off", "on"]),
        (".cac", ".cac", [".cache"]),
        (".cache c", "c", ["clear"]),
        (".fields sou", "sou", ["sources"]),
        (".read Examples/sec", "Examples/sec", ["Examples/section-overview.jbq"]),
        (".load Examples/co", "Examples/co", ["Examples/corpus/"]),
        ("show ", "", []),
    ] as [(String, String, [String])])
    func completes(_ line: String, _ word: String, _ expected: [String]) {
        let (w, candidates) = Self.completer.complete(line)
        #expect(w == word)
        #expect(Array(candidates.prefix(expected.count)) == expected, "\(candidates)")
    }
}
