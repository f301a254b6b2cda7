/// One JSON object per row and line: numbers as numbers, absent values as `null`, lists as
/// arrays. The header is implied by the keys.
public struct JSONLFormatter: ResultFormatter {
    var columns: [String] = []

    public init() {}

    public mutating func begin(columns: [String], to out: Output) throws(OutputClosed) {
        self.columns = columns.map(JSON.string)
    }

    public func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        try out.write(object(values) + "\n")
    }

    /// `{"column":value,…}` for one row.
    func object(_ values: [Value]) -> String {
        var line = "{"
        for (i, value) in values.enumerated() {
            if i > 0 { line += "," }
            line += columns[i] + ":" + JSON.value(value)
        }
        return line + "}"
    }

    public func document(_ article: ArticleDocument, to out: Output) throws(OutputClosed) {
        let body = article.body.map { block in
            "{\"kind\":\(JSON.string(block.kind == .subheading ? "subheading" : "paragraph")),\"text\":\(JSON.string(block.text))}"
        }
        var line = "{\"id\":\(article.id),\"issue\":\(JSON.string(article.issue)),"
        line += "\"date\":\(article.date.map { JSON.string($0.description) } ?? "null"),"
        line += "\"section\":\(JSON.string(article.section)),"
        line += "\"title_lines\":\(JSON.value(.list(article.titleLines))),"
        line += "\"body\":[\(body.joined(separator: ","))],"
        line += "\"sources\":\(JSON.value(.list(article.sources)))}\n"
        try out.write(line)
    }
}

/// JSON text for values (RFC 8259); non-ASCII characters are written as they are.
enum JSON {
    static func value(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .integer(let n): return String(n)
        case .number(let x), .amount(let x, _): return x.isFinite ? Value.format(x) : "null"
        case .text(let s): return string(s)
        case .slice(let s): return string(s.string)
        case .date(let d): return string(d.description)
        case .list(let items): return "[" + items.map(string).joined(separator: ",") + "]"
        }
    }

    /// A JSON string: the export's byte escaper (`JSONLEncoder.quoted`), so that the `jsonl`
    /// output mode and `.export jsonl` write every value alike.
    static func string(_ text: String) -> String {
        String(decoding: JSONLEncoder.quoted(text), as: UTF8.self)
    }
}
