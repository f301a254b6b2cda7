import JianbaoCorpus

/// The output modes (LANGUAGE.md "Output"): one table that `-m`, `.mode`, `.help` and
/// completion read.
public enum OutputMode: String, CaseIterable, Sendable {
    case table, box, csv, tsv, json, jsonl, markdown, line, chart

    public var help: String {
        switch self {
        case .table: return "aligned columns by display width (CJK = 2), fitted to the terminal (numbers never cut); the terminal default"
        case .box: return "the same inside a box-drawing frame; text wraps to .wrap lines on a terminal"
        case .csv: return "RFC 4180: quoted where needed, CRLF line ends"
        case .tsv: return "tab-separated; tab, newline and backslash escaped as \\t \\n \\\\; the piped default"
        case .json: return "one JSON array of objects; numbers as numbers, absent values as null"
        case .jsonl: return "one JSON object per line"
        case .markdown: return "a GitHub table"
        case .line: return "one 'field = value' per line, a blank line between rows"
        case .chart: return "horizontal bars for the last number column, labelled by the first column"
        }
    }

    /// The mode a file's extension names (`out.csv`, `out.json`, `out.jsonl`, `out.md`), or nil.
    public init?(fileName: String) {
        guard !fileName.hasPrefix("|"), let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "md", "markdown": self = .markdown
        default: return nil
        }
    }

    public func makeFormatter(_ style: OutputStyle) -> any ResultFormatter {
        switch self {
        case .table: return TableFormatter(style: style, boxed: false)
        case .box: return TableFormatter(style: style, boxed: true)
        case .csv: return CSVFormatter(headers: style.headers)
        case .tsv: return TSVFormatter(headers: style.headers)
        case .json: return JSONFormatter()
        case .jsonl: return JSONLFormatter()
        case .markdown: return MarkdownFormatter()
        case .line: return LineFormatter()
        case .chart: return ChartFormatter(style: style)
        }
    }
}

/// How output should look where it goes.
public struct OutputStyle: Sendable {
    /// Write a header row (`--no-header`, `.headers off`).
    public var headers = true
    /// Terminal columns to fit tables into; nil when output is not a terminal (no cutting).
    public var width: Int?
    /// Bold headers and dim rules (a terminal without NO_COLOR).
    public var color = false
    /// Lines a text cell of `box` may wrap to on a terminal before it is cut (`.wrap N`).
    public var wrap = 3
    /// csv output starts with a UTF-8 byte order mark (`.mode csv --bom`), so that Excel on
    /// Windows reads it as UTF-8.
    public var bom = false

    public init(headers: Bool = true, width: Int? = nil, color: Bool = false, wrap: Int = 3) {
        self.headers = headers
        self.width = width
        self.color = color
        self.wrap = wrap
    }
}

/// Writes a result: a header, rows, an end; or one whole article for `show`.
public protocol ResultFormatter {
    mutating func begin(columns: [String], to out: Output) throws(OutputClosed)
    /// `begin` with text columns that aligned output right-aligns (kwic's left context).
    mutating func begin(columns: [String], rightAligned: Set<Int>, to out: Output) throws(OutputClosed)
    /// Streaming formatters write at once; aligned ones keep rows until `end`.
    mutating func row(_ values: [Value], to out: Output) throws(OutputClosed)
    mutating func end(to out: Output) throws(OutputClosed)
    func document(_ article: ArticleDocument, to out: Output) throws(OutputClosed)
}

/// A cell straight from bytes, for formatters that encode rows without making `Value`s.
public enum RawCell {
    case integer(Int)
    case text(UnsafeBufferPointer<UInt8>)
}

/// Formatters whose rows stand alone (tsv, csv) encode them into any buffer, on any thread:
/// `kwic` then writes on every core (docs/BENCHMARKS.md).
public protocol RawRowEncoder: Sendable {
    func encode(_ cells: UnsafeBufferPointer<RawCell>, into buffer: inout [UInt8])
}

extension RawRowEncoder {
    /// Decimal digits of `n`, without making a String: written backwards into 20 bytes on
    /// the stack, then appended at once.
    @inline(__always)
    static func appendDecimal(_ n: Int, to buffer: inout [UInt8]) {
        var value = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var k = d.count
            repeat {
                k -= 1
                d[k] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            if n < 0 {
                k -= 1
                d[k] = UInt8(ascii: "-")
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[k...]))
        }
    }
}

extension ResultFormatter {
    public mutating func end(to out: Output) throws(OutputClosed) {}

    /// The formatter as a raw row encoder, when its rows stand alone.
    public var rawEncoder: (any RawRowEncoder)? { self as? any RawRowEncoder }

    public mutating func begin(columns: [String], rightAligned: Set<Int>, to out: Output) throws(OutputClosed) {
        try begin(columns: columns, to: out)
    }

    /// An article as readable text: a heading line, the title lines, then the body with
    /// sub-headings marked `##`, then the source in parentheses.
    public func document(_ article: ArticleDocument, to out: Output) throws(OutputClosed) {
        var text = "article \(article.id) · \(article.issue)"
        if let date = article.date, date.description != article.issue { text += " · \(date)" }
        text += " · \(article.section)\n"
        for line in article.titleLines { text += "# \(line)\n" }
        for block in article.body {
            text += "\n"
            text += block.kind == .subheading ? "## \(block.text)\n" : "\(block.text)\n"
        }
        if !article.sources.isEmpty { text += "\n（\(article.sources.joined(separator: "、"))）\n" }
        try out.write(text)
    }
}

/// Everything `show` prints about one article.
public struct ArticleDocument: Sendable {
    public var id: Int
    public var issue: String
    public var date: BulletinDate?
    public var section: String
    public var titleLines: [String]
    /// Sub-headings and paragraphs in order.
    public var body: [(kind: Block.Kind, text: String)]
    public var sources: [String]
}

/// A formatter that keeps every row and writes in `end`: aligned tables, Markdown, charts.
protocol BufferingFormatter: ResultFormatter {
    var result: BufferedResult { get set }
}

extension BufferingFormatter {
    public mutating func begin(columns: [String], to out: Output) throws(OutputClosed) {
        result = BufferedResult(columns: columns, rows: [])
    }

    public mutating func begin(columns: [String], rightAligned: Set<Int>, to out: Output) throws(OutputClosed) {
        result = BufferedResult(columns: columns, rows: [], rightAligned: rightAligned)
    }

    public mutating func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        // The whole result is held: make sure room is left before it outgrows memory.
        if result.rows.count % 16384 == 16383, !MemoryHeadroom.available() { throw BufferedResult.outOfMemory }
        result.rows.append(values)
    }
}

/// A result kept whole for formatters that must see every row before writing (widths,
/// scales): the column names and the rows.
struct BufferedResult {
    var columns: [String] = []
    var rows: [[Value]] = []
    /// Text columns to right-align, and to cut at their start rather than their end.
    var rightAligned: Set<Int> = []

    static var outOfMemory: OutputClosed {
        var closed = OutputClosed()
        closed.outOfMemory = true
        return closed
    }

    /// Measuring and laying out makes the shown text of every cell again (and a line per
    /// row): check that about that much is still there before starting.
    func ensureRoomToWrite() throws(OutputClosed) {
        var bytes = rows.count * (columns.count + 1) * 48
        for row in rows {
            for value in row { if case .text(let text) = value { bytes += 2 * text.utf8.count } }
        }
        if !MemoryHeadroom.available(bytes) { throw Self.outOfMemory }
    }

    /// Whether column `c` holds numbers (every present value is an integer, at least one).
    func isNumeric(_ c: Int) -> Bool {
        var any = false
        for row in rows {
            switch row[c] {
            case .integer, .number, .amount: any = true
            case .null: continue
            default: return false
            }
        }
        return any
    }

    /// What a cell shows: its plain text with control characters made visible.
    static func text(_ value: Value) -> String {
        DisplayWidth.visible(value.plainText)
    }
}
