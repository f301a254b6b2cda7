/// Splits paragraph text into sentences on `。！？；` (FORMAT.md "Model").
///
/// A sentence keeps its final punctuation and any closing quotes or brackets right after it
/// (`他说：“好。”` is one sentence). Text after the last terminator is a sentence too.
public enum Sentences {
    public static func split(_ p: UnsafeBufferPointer<UInt8>, _ range: ByteRange) -> [ByteRange] {
        var result: [ByteRange] = []
        var start = range.lower
        var i = range.lower
        let end = range.upper
        while i < end {
            if p[i] == 0xE3 || p[i] == 0xEF, isTerminator(p, i, end) {
                i += 3
                while i < end, isCloser(p, i, end) { i += 3 }
                let (s, e) = UTF8Text.trim(p, start, i)
                if e > s { result.append(ByteRange(s, e)) }
                start = i
            } else {
                i += 1
            }
        }
        let (s, e) = UTF8Text.trim(p, start, end)
        if e > s { result.append(ByteRange(s, e)) }
        return result
    }

    private static func isTerminator(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        UTF8Text.hasBytes(p, at: i, end: end, "。") || UTF8Text.hasBytes(p, at: i, end: end, "！")
            || UTF8Text.hasBytes(p, at: i, end: end, "？") || UTF8Text.hasBytes(p, at: i, end: end, "；")
    }

    private static func isCloser(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        UTF8Text.hasBytes(p, at: i, end: end, "”") || UTF8Text.hasBytes(p, at: i, end: end, "’")
            || UTF8Text.hasBytes(p, at: i, end: end, "」") || UTF8Text.hasBytes(p, at: i, end: end, "』")
            || UTF8Text.hasBytes(p, at: i, end: end, "）")
    }
}
