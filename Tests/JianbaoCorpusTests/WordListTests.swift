import Testing
@testable import JianbaoCorpus

/// The word lists the figure extractor searches (issue 13's speed-up): `Words` groups its
/// words by first and last scalar and `AffixTable` tries only the words that can match; both
/// must answer exactly as a search of the whole list in order does. Figures keep `span` and
/// `change_unit` as codes, which must read back as they were set.
@Suite struct WordListTests {
    /// Words that share first and last scalars, of several lengths, many enough that the
    /// scalar table has collisions, and an empty word.
    static let words = ["上海", "上海市", "上海市国资委", "上港集团", "上汽集团", "集团", "市属企业", "企业", "国有企业", "本市地方国有企业",
                        "亿元", "万亿元", "元", "万元", "家", "个", "个百分点", "%", "％", "倍", "增长", "同比增长", "下降", "同比下降"]
        + (0..<200).map { "词\($0)条" }

    /// The longest word starting at `i`, by trying every word (the definition).
    static func naiveFirst(_ list: [String], _ s: [Unicode.Scalar], _ i: Int) -> (Int, Int)? {
        guard i >= 0, i < s.count else { return nil }
        let sorted = Words(list).strings
        for (n, w) in sorted.enumerated() {
            let scalars = Array(w.unicodeScalars)
            if !scalars.isEmpty, i + scalars.count <= s.count, Array(s[i..<(i + scalars.count)]) == scalars { return (n, scalars.count) }
        }
        return nil
    }

    static func naiveEnding(_ list: [String], _ s: [Unicode.Scalar], _ i: Int) -> (Int, Int)? {
        guard i > 0, i <= s.count else { return nil }
        let sorted = Words(list).strings
        for (n, w) in sorted.enumerated() {
            let scalars = Array(w.unicodeScalars)
            if !scalars.isEmpty, i - scalars.count >= 0, Array(s[(i - scalars.count)..<i]) == scalars { return (n, scalars.count) }
        }
        return nil
    }

    @Test(arguments: [
        "本市地方国有企业实现营业收入3.65万亿元，同比增长0.8%",
        "上海市国资委：上港集团、上汽集团和市属企业分别下降1.2个百分点",
        "词17条词199条词0条，同比下降2倍；上海上海市",
    ])
    func wordsMatchAsTheWholeListDoes(_ text: String) {
        let s = Array(text.unicodeScalars)
        let words = Words(Self.words)
        for i in 0...s.count {
            let first = words.first(in: s, at: i).map { ($0.index, $0.length) }
            let naive = Self.naiveFirst(Self.words, s, i)
            #expect(first?.0 == naive?.0 && first?.1 == naive?.1, "first at \(i)")
            let ending = words.ending(in: s, before: i).map { ($0.index, $0.length) }
            let naiveEnd = Self.naiveEnding(Self.words, s, i)
            #expect(ending?.0 == naiveEnd?.0 && ending?.1 == naiveEnd?.1, "ending before \(i)")
        }
    }

    @Test func anEmptyWordMatchesWhereNothingLongerDoes() {
        let words = Words(["", "集团"])
        let s = Array("集A团".unicodeScalars)
        // Only where the scalar can start (or end) a word, as with the whole list.
        #expect(words.first(in: s, at: 0).map(\.length) == 0)
        #expect(words.first(in: s, at: 1) == nil)
        #expect(words.ending(in: s, before: 3).map(\.length) == 0)
    }

    @Test(arguments: ["上海市国资委系统企业", "上汽集团新能源汽车销量", "集团", "", "国有企业", "词150条词3条", "A上海"])
    func affixTableFindsTheFirstInListOrder(_ text: String) {
        let lists = [Self.words, Self.words.reversed(), ["", "上海"], ["上海", ""]]
        for list in lists {
            let table = AffixTable(list)
            #expect(table.first(prefixOf: text) == list.first { text.hasPrefix($0) })
            #expect(table.first(suffixOf: text) == list.first { text.hasSuffix($0) })
            let longer: (String) -> Bool = { text.count > $0.count + 1 }
            #expect(table.first(prefixOf: text, where: longer) == list.first { text.hasPrefix($0) && longer($0) })
            #expect(table.first(suffixOf: text, where: longer) == list.first { text.hasSuffix($0) && longer($0) })
        }
    }

    @Test(arguments: ["", "year", "h1", "q4", "ytd-9", "ytd-12", "month", "%", "个百分点", "倍", "较2019年", "h3", "ytd-13"])
    func figureLabelsReadBackAsSet(_ label: String) {
        var figure = Figure(article: 0, block: 0, metric: "营业收入", value: 1, unitCode: 0, amount: 1, qualifier: "", change: nil,
                            period: nil, subject: "", text: ByteRange(0, 0), sentence: ByteRange(0, 0), changeUnit: label, span: label)
        #expect(figure.span == label)
        #expect(figure.changeUnit == label)
        let other = figure
        figure.span = label + "x"
        #expect(figure.span == label + "x")
        #expect(figure.changeUnit == label)
        #expect(figure != other)
        figure.span = label
        #expect(figure == other)
    }
}
