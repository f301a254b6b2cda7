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
        // On UTF-8 bytes: this runs for every article when names are gathered. Separators are
        // 、 (E3 80 81), ， (EF BC 8C), ',' and '/'; names are trimmed of space, tab and
        // U+3000 (E3 80 80). All of these start on a lead byte, so no match splits a character.
        var source = source
        return source.withUTF8 { bytes -> [String] in
            var names: [String] = []
            let count = bytes.count
            func isSpace(_ i: Int) -> Int {
                let b = bytes[i]
                if b == 0x20 || b == 0x09 { return 1 }
                if b == 0xE3, i + 2 < count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { return 3 }
                return 0
            }
            func endsInSpace(_ end: Int) -> Int {
                let b = bytes[end - 1]
                if b == 0x20 || b == 0x09 { return 1 }
                if end >= 3, bytes[end - 3] == 0xE3, bytes[end - 2] == 0x80, b == 0x80 { return 3 }
                return 0
            }
            func flush(_ start: Int, _ end: Int) {
                var start = start, end = end
                while start < end { let n = isSpace(start); if n == 0 { break }; start += n }
                while end > start { let n = endsInSpace(end); if n == 0 { break }; end -= n }
                if start < end { names.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)) }
            }
            var start = 0, i = 0
            while i < count {
                let b = bytes[i]
                var separator = 0
                if b == 0x2C || b == 0x2F {
                    separator = 1
                } else if b == 0xE3, i + 2 < count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x81 {
                    separator = 3
                } else if b == 0xEF, i + 2 < count, bytes[i + 1] == 0xBC, bytes[i + 2] == 0x8C {
                    separator = 3
                }
                if separator > 0 {
                    flush(start, i)
                    i += separator
                    start = i
                } else {
                    i += 1
                }
            }
            flush(start, count)
            return names
        }
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
