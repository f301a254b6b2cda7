#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import JianbaoCorpus

/// Figure extraction is linear in paragraph length (issue 18 item 8: a 4 MB paragraph took 16
/// times as long as a 1 MB one) and stops inside a long paragraph when asked.
///
/// Not a timed test: it compares the CPU time of one paragraph with that of one four times as
/// long, measured on this thread one after the other, so a loaded machine slows both alike.
/// Linear work gives a ratio near 4, quadratic work near 16; the bound is 8.
@Suite struct FigureScalingTests {
    /// Prose of three kinds, so that each quadratic path of the past is walked: sentences
    /// with changes and parentheses, one long sentence held together by commas (the sentence
    /// scans), and bare figures with no name (the look-back for a metric).
    static func paragraph(repeats: Int) -> String {
        let pieces = [
            "本市地方国有企业实现营业收入3.65万亿元，同比增长0.8%；利润总额2629.87亿元（其中，浦东机场5.6亿元、虹桥机场3亿元），同比增长3.4%。",
            "其中，洋山港区完成1980万标准箱，外高桥港区2150万标准箱，同比分别增长5.2%、3.1%，",
            "全年12万吨，18处，7个，",
        ]
        var text = ""
        text.reserveCapacity(repeats * 300)
        for n in 0..<repeats { text += pieces[n % pieces.count] }
        return text + "。"
    }

    static func issue(_ paragraph: String) -> JianbaoCorpus.Issue {
        let text = "· 动态\n标题\n\(paragraph)\n"
        return CorpusLoader.load(documents: [("x/2023-06-01.txt", Array(text.utf8))]).issues[0]
    }

    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// CPU seconds to extract the figures of `issue` on this thread, and how many there are.
    static func extract(_ issue: JianbaoCorpus.Issue) -> (seconds: Double, count: Int) {
        let start = cpuSeconds()
        let figures = FigureIndex.extract(issue, lexicon: Lexicon.current, subjects: [], organisations: [])
        return (cpuSeconds() - start, figures?.count ?? -1)
    }

    @Test func extractionIsLinearInParagraphLength() {
        let small = Self.issue(Self.paragraph(repeats: 3_000))     // about 0.25 MB
        let large = Self.issue(Self.paragraph(repeats: 12_000))    // four times as long
        _ = Self.extract(Self.issue(Self.paragraph(repeats: 300)))  // warm the lexicon and caches
        let a = Self.extract(small), b = Self.extract(large)
        #expect(a.count > 5_000)
        #expect(b.count == 4 * a.count, "the same prose four times over has four times the figures")
        let ratio = b.seconds / max(a.seconds, 1e-6)
        print("figure extraction: \(a.count) figures in \(a.seconds) s, \(b.count) in \(b.seconds) s; ratio \(ratio)")
        #expect(ratio < 8, "four times the text took \(ratio) times as long")
    }

    @Test func aLongParagraphStopsWhenAsked() {
        let issue = Self.issue(Self.paragraph(repeats: 6_000))
        let calls = Counter()
        // Stop on the third question: a paragraph is asked more than once on its way.
        let figures = FigureIndex.extract(issue, lexicon: Lexicon.current, subjects: [], organisations: [],
                                          stop: { calls.next() >= 3 })
        #expect(figures == nil)
        #expect(calls.value >= 3)
    }
}

/// Counts calls (the stop closure is @Sendable).
final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func next() -> Int { value += 1; return value }
}
