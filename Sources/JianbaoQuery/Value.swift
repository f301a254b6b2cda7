import JianbaoCorpus

/// One cell of a result row.
public enum Value: Hashable, Sendable {
    /// Absent: a date an issue does not have, a source an article lacks.
    case null
    case integer(Int)
    /// A decimal number (figures' values, amounts, changes).
    case number(Double)
    /// A figure's amount in base units with the base unit (`3.98e13`, `元`): raw in csv, tsv
    /// and json, as Chinese readers write it on the screen (`39.8万亿元`).
    case amount(Double, base: String)
    case text(String)
    /// Text still in an issue's buffer (paragraphs, bodies, section names): written to output
    /// straight from the bytes, made a `String` only when something needs one.
    case slice(TextSlice)
    case date(BulletinDate)
    case list([String])

    /// The value as plain text: integers in decimal, dates as written, lists joined with ` / `.
    public var plainText: String {
        switch self {
        case .null: return ""
        case .integer(let n): return String(n)
        case .number(let x), .amount(let x, _): return Value.format(x)
        case .text(let s): return s
        case .slice(let s): return s.string
        case .date(let d): return d.description
        case .list(let items): return items.joined(separator: " / ")
        }
    }

    /// A number as people write it: whole numbers without a decimal point or exponent
    /// (3650000000000), others in their shortest exact form (2629.87).
    public static func format(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e18 { return String(Int64(x)) }
        return x.description
    }

    /// The same value with any slice made text, for grouping and comparing by content.
    public var normalized: Value {
        if case .slice(let s) = self { return .text(s.string) }
        return self
    }
}

/// Byte ranges of one issue's text, shown joined by a separator byte.
public struct TextSlice: Hashable, Sendable {
    let issue: Issue
    let ranges: [ByteRange]
    let separator: UInt8

    init(_ issue: Issue, _ ranges: [ByteRange], separator: UInt8 = 0x0A) {
        self.issue = issue
        self.ranges = ranges
        self.separator = separator
    }

    init(_ issue: Issue, _ range: ByteRange) {
        self.init(issue, [range])
    }

    public var string: String {
        ranges.map { issue.string($0) }.joined(separator: String(UnicodeScalar(separator)))
    }

    /// Calls `body` with each piece of text and each separator, in order.
    func forEachPiece(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        issue.text.withUnsafeBufferPointer { p in
            var separator = self.separator
            for (i, range) in ranges.enumerated() {
                if i > 0 { withUnsafePointer(to: &separator) { body(UnsafeBufferPointer(start: $0, count: 1)) } }
                body(UnsafeBufferPointer(rebasing: p[range.lower..<range.upper]))
            }
        }
    }

    public static func == (a: TextSlice, b: TextSlice) -> Bool { a.string == b.string }
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }
}
