import Testing
@testable import JianbaoQuery

/// The arithmetic and searches issue 18 found unbounded: the limit/offset window on any Int,
/// and did-you-mean over many names with a long input.
@Suite struct BoundsTests {
    @Test(arguments: [
        (10, nil, nil, 0..<10),
        (10, 3, nil, 0..<3),
        (10, nil, 4, 4..<10),
        (10, 3, 8, 8..<10),
        (10, Int.max, 1, 1..<10),
        (10, Int.max, Int.max, 10..<10),
        (10, 1, Int.max, 10..<10),
        (0, Int.max, Int.max, 0..<0),
        (10, 0, 0, 0..<0),
    ] as [(Int, Int?, Int?, Range<Int>)])
    func window(_ count: Int, _ limit: Int?, _ offset: Int?, _ expected: Range<Int>) {
        #expect(Evaluator.window(count: count, limit: limit, offset: offset) == expected)
    }

    /// The bounded distance is the full one where that is within the bound, and nil past it.
    @Test(arguments: [
        ("articles", "articels", 3), ("section", "sections", 1), ("金融工作", "金融工做", 1),
        ("abc", "cab", 2), ("", "abc", 3), ("kitten", "sitting", 2), ("a", String(repeating: "a", count: 50), 5),
    ])
    func boundedDistance(_ a: String, _ b: String, _ bound: Int) {
        let full = Suggest.distance(Array(a), Array(b))
        #expect(Suggest.distance(Array(a), Array(b), atMost: bound) == (full <= bound ? full : nil))
    }

    /// A 2,000-character name against 200,000 names: the lengths differ too much for any to be
    /// near, so no table is filled (this ran for minutes over a million names; 3 s in a debug
    /// build now, the limit leaves room for the sanitizers on a busy machine).
    @Test(.timeLimit(.minutes(5)))
    func longInputAgainstManyNames() {
        let names = Set((0..<200_000).map { "单位\($0)号" })
        let message = Names.unknownMessage("source", String(repeating: "单", count: 2000), known: names)
        #expect(message.hasPrefix("no source is named '单单单"))
        #expect(message.count < 200)
        #expect(Suggest.nearest(String(repeating: "x", count: 2000), in: Array(names)) == nil)
    }
}
