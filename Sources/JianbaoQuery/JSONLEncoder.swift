import JianbaoCorpus
import CBytes

/// A group's rows as JSON lines, written as bytes: the same lines `JSON.value` makes for the
/// `jsonl` output mode (Tests/JianbaoCLITests/ExportTests.swift compares them), without a
/// `String` a cell for the texts, integers and dates that make up most of an export.
struct JSONLEncoder {
    /// Each column's `"name":` as bytes, the first with its `{`, the others with their `,`.
    let keys: [[UInt8]]

    init(columns: [String]) {
        keys = columns.enumerated().map { i, name in Array(((i == 0 ? "{" : ",") + JSON.string(name) + ":").utf8) }
    }

    /// The lines of `values` (`keys.count` a row), and how many rows they are.
    func lines(_ values: [Value]) -> (bytes: [UInt8], rows: Int) {
        let width = max(keys.count, 1)
        var out: [UInt8] = []
        out.reserveCapacity(CellBuffer.size(values) + values.count * 16)
        var i = 0
        while i < values.count {
            guard case .slice(let first) = values[i] else {
                append(i, values[i], to: &out, text: nil)
                i += 1
                continue
            }
            first.issue.text.withUnsafeBufferPointer { text in
                while i < values.count {
                    if case .slice(let slice) = values[i], slice.issue !== first.issue { break }
                    append(i, values[i], to: &out, text: text)
                    i += 1
                }
            }
        }
        return (out, values.count / width)
    }

    /// Cell `i` of the values: its key, its value, and the line's end after the last column.
    private func append(_ i: Int, _ value: Value, to out: inout [UInt8], text: UnsafeBufferPointer<UInt8>?) {
        let column = i % max(keys.count, 1)
        out += keys[column]
        switch value {
        case .null: out += "null".utf8
        case .integer(let n): out += String(n).utf8
        case .text(let s): Self.string(s.utf8, to: &out)
        case .slice(let slice):
            if let text, Self.string(slice, in: text, to: &out) { break }
            out += JSON.string(slice.string).utf8
        case .date(let d):
            out.append(0x22)
            ExportBytes.date(d, to: &out)
            out.append(0x22)
        case .number, .amount, .list: out += JSON.value(value).utf8
        }
        if column == keys.count - 1 { out += "}\n".utf8 }
    }

    /// A slice's pieces as one JSON string; false (nothing written) when they are not
    /// well-formed UTF-8, which `JSON.string` repairs as a `String` does.
    private static func string(_ slice: TextSlice, in text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        for range in slice.ranges {
            let piece = UnsafeBufferPointer(rebasing: text[range.lower..<range.upper])
            var bad = 0
            if let base = piece.baseAddress, jb_utf8_find_invalid(base, piece.count, &bad) != piece.count { return false }
        }
        out.append(0x22)
        for (k, range) in slice.ranges.enumerated() {
            if k > 0 { escape(CollectionOfOne(slice.separator), to: &out) }
            escape(UnsafeBufferPointer(rebasing: text[range.lower..<range.upper]), to: &out)
        }
        out.append(0x22)
        return true
    }

    private static func string<S: Sequence>(_ bytes: S, to out: inout [UInt8]) where S.Element == UInt8 {
        out.append(0x22)
        escape(bytes, to: &out)
        out.append(0x22)
    }

    /// `text` as a JSON string, quoted and escaped (`JSON.string` for the `jsonl` output mode).
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        string(text.utf8, to: &out)
        return out
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let lineSeparator = Array("\\u2028".utf8), paragraphSeparator = Array("\\u2029".utf8)

    /// The one JSON string escaper (the export and the `jsonl` output mode), on well-formed
    /// UTF-8: quote, backslash, control characters, and U+2028 and U+2029 (E2 80 A8/A9), which
    /// some JavaScript readers take for line ends.
    private static func escape<S: Sequence>(_ bytes: S, to out: inout [UInt8]) where S.Element == UInt8 {
        var afterE2 = false, afterE280 = false
        for b in bytes {
            defer {
                afterE280 = afterE2 && b == 0x80
                afterE2 = b == 0xE2
            }
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0xA8 where afterE280, 0xA9 where afterE280:
                out.removeLast(2)
                out += b == 0xA8 ? lineSeparator : paragraphSeparator
            case ..<0x20:
                out += [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
            default: out.append(b)
            }
        }
    }
}

/// Byte writers the two export encoders share.
enum ExportBytes {
    /// `2024`, `2024-03` or `2024-03-15`, as `BulletinDate.description` writes it, without
    /// making a String (every row of most tables has one).
    static func date(_ d: BulletinDate, to out: inout [UInt8]) {
        guard (1000...9999).contains(d.year), (0..<100).contains(d.month ?? 0), (0..<100).contains(d.day ?? 0) else {
            out += d.description.utf8
            return
        }
        digits(d.year, 4, to: &out)
        if let month = d.month { out.append(0x2D); digits(month, 2, to: &out) }
        if let day = d.day { out.append(0x2D); digits(day, 2, to: &out) }
    }

    private static func digits(_ n: Int, _ width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            out.append(0x30 + UInt8(n / divisor % 10))
            divisor /= 10
        }
    }
}
