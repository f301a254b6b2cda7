import Testing
@testable import JianbaoQuery

/// The statement line under an error message: whole when it fits 100 columns, else a window
/// around the culprit cut with …, and the caret still under the culprit.
@Suite struct DiagnosticWindowTests {
    static func render(_ text: String, _ culprit: String) -> [String] {
        let start = text.range(of: culprit).map { text[..<$0.lowerBound].utf8.count } ?? 0
        let span = start..<(start + culprit.utf8.count)
        return QueryError.renderedDiagnostic("error", "m", span: span, in: text)
            .split(separator: "\n").map(String.init)
    }

    @Test func shortLineIsWhole() {
        #expect(Self.render("count articles where titel = 简报", "titel") == [
            "error: m",
            "  count articles where titel = 简报",
            "                       ^~~~~",
        ])
    }

    @Test func longLineIsWindowedAroundTheCulprit() {
        let text = String(repeating: "甲乙丙丁 ", count: 40) + "CULPRIT" + String(repeating: " 戊己庚辛", count: 40)
        let lines = Self.render(text, "CULPRIT")
        #expect(lines[1].hasPrefix("  …"))
        #expect(lines[1].hasSuffix("…"))
        #expect(DisplayWidth.of(lines[1]) <= 2 + QueryError.maxLineWidth)
        // The caret stands under the culprit in display columns.
        let caretColumn = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) } ?? -1
        let culpritStart = lines[1].range(of: "CULPRIT")!.lowerBound
        #expect(DisplayWidth.of(String(lines[1][..<culpritStart])) == caretColumn)
        #expect(lines[2].hasSuffix(" ^~~~~~~"))
    }

    @Test(arguments: [("甲乙丙丁", 5, "…丙丁"), ("abc", 3, "abc"), ("abcdef", 3, "…ef"), ("简报", 1, "…"), ("x", 0, "")])
    func keepingEnd(_ text: String, _ width: Int, _ expected: String) {
        #expect(DisplayWidth.keepingEnd(text, width: width) == expected)
    }
}
