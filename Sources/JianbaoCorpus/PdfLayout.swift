/// Rebuilds bulletin lines from the lines of PDF pages (FORMAT.md "PDF").
enum PdfLayout {
    typealias Line = PdfReader.Line

    /// The lines of all pages in order, without page headers, footers and page numbers: the
    /// first two and last two lines of a page are dropped when they are a page number, or when
    /// the same line (digits aside) is at the top or bottom of at least half the pages (two at least).
    static func body(_ pages: [[Line]]) -> [Line] {
        var seen: [String: Int] = [:]
        for page in pages {
            for key in Set(edges(page).map { key(page[$0].text) }) { seen[key, default: 0] += 1 }
        }
        let repeated = max(2, (pages.count + 1) / 2)
        var out: [Line] = []
        for page in pages {
            let edgeSet = Set(edges(page))
            for (i, line) in page.enumerated() {
                if edgeSet.contains(i) && (isPageNumber(line.text) || seen[key(line.text), default: 0] >= repeated) { continue }
                out.append(line)
            }
        }
        return out
    }

    static func edges(_ page: [Line]) -> [Int] {
        Array(Set([0, 1, page.count - 2, page.count - 1].filter { $0 >= 0 && $0 < page.count })).sorted()
    }

    /// A line with its digits as `#` and no spaces, so that `第 3 页` and `第 4 页` match.
    static func key(_ text: String) -> String {
        String(text.unicodeScalars.compactMap { s -> Character? in
            if s == " " { return nil }
            return ("0"..."9").contains(s) ? "#" : Character(s)
        })
    }

    /// `3`, `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 9 页`, `3/9`, `Page 3`, `iii`; not `2024`.
    static func isPageNumber(_ text: String) -> Bool {
        let stripped = text.unicodeScalars.filter { !" -–—·.|".unicodeScalars.contains($0) }
        guard !stripped.isEmpty else { return false }
        var rest = String(String.UnicodeScalarView(stripped)).lowercased()
        for word in ["page", "第", "页", "共", "/", "of"] { rest = rest.replacing(word, with: "") }
        // Up to three digits (a page, not a year), or two numbers run together by `/`, `共`.
        let digits = rest.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
        if digits && !rest.isEmpty && (rest.count <= 3 || stripped.count > rest.count) { return true }
        return !rest.isEmpty && rest.count <= 5 && rest.allSatisfy { "ivxl".contains($0) }
    }

    /// Joins wrapped lines into paragraphs and removes PDF's spaces around CJK text.
    static func join(_ lines: [Line]) -> String {
        let margins = rightMargins(lines)
        var out = ""
        var open = false
        for (i, line) in lines.enumerated() {
            let text = tightened(line.text)
            if text.isEmpty { continue }
            if open {
                // Latin words wrapped across lines keep one space between them.
                if let last = out.unicodeScalars.last, let first = text.unicodeScalars.first,
                   last.value < 0x80, first.value < 0x80, last != " " { out += " " }
            }
            out += text
            let next = i + 1 < lines.count ? tightened(lines[i + 1].text) : ""
            open = !next.isEmpty && continues(line, text: text, margin: margins[i], next: next)
            if !open { out += "\n" }
        }
        return out
    }

    /// Whether `line` was wrapped at the margin: it reaches the right margin less the width of
    /// the next line's first unit (which would have fitted otherwise), does not end a sentence
    /// (。！？”) or a source, and the next line is not a section marker. A `；` ends a paragraph
    /// only when the line stops short of the margin: at the margin it is a clause break that
    /// happened to fall at the line end (bulletin paragraphs do not end in `；`).
    static func continues(_ line: Line, text: String, margin: Double, next: String) -> Bool {
        if let last = text.unicodeScalars.last, "。！？”".unicodeScalars.contains(last) { return false }
        if text.hasSuffix("）") || text.hasSuffix(")") { return false }
        if let first = next.unicodeScalars.first, "·•●【".unicodeScalars.contains(first) { return false }
        return line.x2 + firstUnitWidth(next, size: line.size) > margin - 0.5 * line.size
    }

    /// Closing punctuation may not start a line and opening punctuation may not end one, so a
    /// line breaks before a character together with them.
    static let closing = "）」』”’》〉】〕、。，；：！？)]}.,;:!?%".unicodeScalars
    static let opening = "（「『“‘《〈【〔([{".unicodeScalars

    /// The width the next line's first unbreakable unit would have needed: one em for a CJK
    /// character (with the punctuation bound to it), 0.6 em for each character of a Latin word
    /// or number.
    static func firstUnitWidth(_ text: String, size: Double) -> Double {
        var width = 0.0
        var scalars = text.unicodeScalars[...]
        while let s = scalars.first, opening.contains(s) {
            width += s.value < 0x80 ? 0.6 * size : size
            scalars = scalars.dropFirst()
        }
        if let s = scalars.first, s.value >= 0x80 {
            width += size
            scalars = scalars.dropFirst()
        } else {
            while let s = scalars.first, s.value < 0x80, s != " ", !closing.contains(s) {
                width += 0.6 * size
                scalars = scalars.dropFirst()
            }
        }
        while let s = scalars.first, closing.contains(s) {
            width += s.value < 0x80 ? 0.6 * size : size
            scalars = scalars.dropFirst()
        }
        return width
    }

    /// For each line, the right edge of its column: the rightmost edge that a good share of the
    /// lines overlapping it horizontally reach (so a wide heading over two columns does not
    /// become the margin of each column).
    static func rightMargins(_ lines: [Line]) -> [Double] {
        struct Span: Hashable { var x1: Int; var x2: Int }
        var counts: [Span: Int] = [:]
        for line in lines { counts[Span(x1: Int(line.x1.rounded()), x2: Int(line.x2.rounded())), default: 0] += 1 }
        let spans = counts.sorted { $0.key.x2 > $1.key.x2 }
        var cache: [Span: Double] = [:]
        return lines.map { line in
            let me = Span(x1: Int(line.x1.rounded()), x2: Int(line.x2.rounded()))
            if let known = cache[me] { return known }
            let overlapping = spans.filter { $0.key.x1 < me.x2 && $0.key.x2 > me.x1 }
            let total = overlapping.reduce(0) { $0 + $1.value }
            let needed = max(2, total / 5)
            var margin = line.x2
            for (span, _) in overlapping {
                // Lines within one em of this edge count as reaching it.
                let near = overlapping.filter { Double($0.key.x2) >= Double(span.x2) - line.size }.reduce(0) { $0 + $1.value }
                if near >= needed { margin = Double(span.x2); break }
            }
            cache[me] = margin
            return margin
        }
    }

    /// Ideographs, CJK punctuation and full-width forms.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x3FFFF: true
        default: false
        }
    }

    /// The line without PDF's spaces next to CJK: a run of spaces goes when either side is CJK
    /// (`3.52 万亿元` → `3.52万亿元`, `2019 年` → `2019年`), stays between Latin words and
    /// numbers (`State Council`, `5.2 %`) and after a section bullet (`· 重要动态`).
    static func tightened(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == " " {
                var j = i
                while j < scalars.count && scalars[j] == " " { j += 1 }
                let before = out.last, after = j < scalars.count ? scalars[j] : nil
                if let before, let after, !(isCJK(before) || isCJK(after)) || "·•●".unicodeScalars.contains(before) {
                    out.append(" ")
                }
                i = j
                continue
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }
}
