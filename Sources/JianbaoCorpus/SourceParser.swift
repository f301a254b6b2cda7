/// Finds the reporting organisation(s) in parentheses at the end of a line (FORMAT.md
/// "Articles", item 3) and splits them.
enum SourceParser {
    /// Longest source text in characters; a longer parenthetical is ordinary text.
    static let maxCharacters = 30
    /// Scanning back further than this for the opening parenthesis cannot find a source of
    /// `maxCharacters` (4 bytes each) plus a `来源：` prefix.
    static let maxScanBytes = 4 * maxCharacters + 16

    /// Prefixes dropped from inside the parentheses.
    static let prefixes: [StaticString] = ["来源：", "来源:", "供稿：", "供稿:"]

    /// When `start..<end` (trimmed) ends with `（…）` or `(…)` that qualifies as a source:
    /// the offset of the opening parenthesis and the source text's range.
    static func trailingSource(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (open: Int, content: ByteRange)? {
        guard end > start else { return nil }
        let closeStart: Int
        if p[end - 1] == UInt8(ascii: ")") {
            closeStart = end - 1
        } else if UTF8Text.hasBytes(p, at: end - 3, end: end, "）") {
            closeStart = end - 3
        } else {
            return nil
        }
        var i = closeStart
        let limit = max(start, closeStart - maxScanBytes)
        while i > limit {
            i -= 1
            let b = p[i]
            if b == UInt8(ascii: ")") || (b == 0xEF && UTF8Text.hasBytes(p, at: i, end: end, "）")) { return nil }
            if b == UInt8(ascii: "(") { return content(p, open: i, afterOpen: i + 1, closeStart: closeStart) }
            if b == 0xEF && UTF8Text.hasBytes(p, at: i, end: end, "（") {
                return content(p, open: i, afterOpen: i + 3, closeStart: closeStart)
            }
        }
        return nil
    }

    private static func content(_ p: UnsafeBufferPointer<UInt8>, open: Int, afterOpen: Int, closeStart: Int) -> (open: Int, content: ByteRange)? {
        var (s, e) = UTF8Text.trim(p, afterOpen, closeStart)
        for prefix in prefixes where UTF8Text.hasBytes(p, at: s, end: e, prefix) {
            (s, e) = UTF8Text.trim(p, s + prefix.utf8CodeUnitCount, e)
            break
        }
        guard e > s, UTF8Text.scalarCount(p, s, e) <= maxCharacters else { return nil }
        return (open, ByteRange(s, e))
    }

    /// Splits a source on `、`, `，`, `,` and `/`, trimming each name and dropping empty ones.
    static func split(_ source: String) -> [String] {
        // On scalars: this runs for every article when names are gathered.
        var names: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            var scalars = Substring.UnicodeScalarView(current)
            while let first = scalars.first, first == " " || first == "\t" || first == "\u{3000}" { scalars.removeFirst() }
            while let last = scalars.last, last == " " || last == "\t" || last == "\u{3000}" { scalars.removeLast() }
            if !scalars.isEmpty { names.append(String(scalars)) }
            current = String.UnicodeScalarView()
        }
        for c in source.unicodeScalars {
            if c == "、" || c == "，" || c == "," || c == "/" { flush() } else { current.append(c) }
        }
        flush()
        return names
    }
}

extension StringProtocol {
    /// Drops leading and trailing characters in `set` (Foundation-free).
    public func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
