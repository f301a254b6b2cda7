import CBytes

/// A half-open range of byte offsets into one issue's text buffer.
///
/// 32-bit offsets keep the per-line model small; the loader refuses files of 2 GiB or more.
public struct ByteRange: Hashable, Sendable {
    /// Offset of the first byte.
    public var start: Int32
    /// Offset one past the last byte.
    public var end: Int32

    public init(_ start: Int, _ end: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    public var count: Int { Int(end) - Int(start) }
    public var isEmpty: Bool { end <= start }
    public var lower: Int { Int(start) }
    public var upper: Int { Int(end) }
}

/// Byte-level tests on UTF-8 text, shared by the reader, the date parser and the query side.
///
/// Everything here takes a buffer and a range and looks at bytes only: the reader runs these
/// on every line of the corpus, so nothing allocates.
public enum UTF8Text {
    /// The U+3000 ideographic space.
    static let ideographicSpace: [UInt8] = [0xE3, 0x80, 0x80]

    /// Drops leading and trailing ASCII spaces, tabs, carriage returns and U+3000.
    @inline(__always)
    public static func trim(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e {
            let b = p[s]
            if b == 0x20 || b == 0x09 || b == 0x0D { s += 1; continue }
            if b == 0xE3, s + 2 < e, p[s + 1] == 0x80, p[s + 2] == 0x80 { s += 3; continue }
            break
        }
        while e > s {
            let b = p[e - 1]
            if b == 0x20 || b == 0x09 || b == 0x0D { e -= 1; continue }
            if b == 0x80, e - 3 >= s, p[e - 2] == 0x80, p[e - 3] == 0xE3 { e -= 3; continue }
            break
        }
        return (s, e)
    }

    /// Number of Unicode scalars in a well-formed range.
    @inline(__always)
    public static func scalarCount(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        guard end > start, let base = p.baseAddress else { return 0 }
        return jb_count_scalars(base + start, end - start)
    }

    /// The scalar whose first byte is at `i` and its length in bytes, in UTF-8 the loader has
    /// made well formed (no checks, as on every other hot path here).
    @inline(__always)
    public static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let b0 = UInt32(p[i])
        var value: UInt32, length: Int
        if b0 < 0x80 { value = b0; length = 1 }
        else if b0 < 0xE0 { value = (b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F); length = 2 }
        else if b0 < 0xF0 { value = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F); length = 3 }
        else { value = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F); length = 4 }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Offset of the first byte of the last scalar in `start..<end` (which must not be empty).
    @inline(__always)
    public static func lastScalarStart(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = end - 1
        while i > start && p[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }

    /// Whether the bytes at `offset` spell `literal` (which must fit before `end`).
    @inline(__always)
    public static func hasBytes(_ p: UnsafeBufferPointer<UInt8>, at offset: Int, end: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, offset + n <= end else { return false }
        let lit = literal.utf8Start
        for k in 0..<n where p[offset + k] != lit[k] { return false }
        return true
    }

    /// Whether the range ends with sentence-final punctuation: `。！？；…` or ASCII `.!?;`.
    public static func endsSentence(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return false }
        let last = p[end - 1]
        if last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?") || last == UInt8(ascii: ";") {
            return true
        }
        guard end - start >= 3 else { return false }
        let i = end - 3
        return hasBytes(p, at: i, end: end, "。") || hasBytes(p, at: i, end: end, "！")
            || hasBytes(p, at: i, end: end, "？") || hasBytes(p, at: i, end: end, "；")
            || hasBytes(p, at: i, end: end, "…")
    }

    /// Makes a `String` from a byte range; used only for what is shown or compared as text.
    public static func string(_ bytes: [UInt8], _ range: ByteRange) -> String {
        guard !range.isEmpty else { return "" }
        return bytes.withUnsafeBufferPointer { p in
            String(decoding: UnsafeBufferPointer(rebasing: p[range.lower..<range.upper]), as: UTF8.self)
        }
    }
}
