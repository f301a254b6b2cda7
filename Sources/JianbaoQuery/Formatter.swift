import JianbaoCorpus

/// The output modes (LANGUAGE.md "Output"): one table that `-m`, `.mode` and `.help` read.
public enum OutputMode: String, CaseIterable, Sendable {
    case tsv, jsonl

    public var help: String {
        switch self {
        case .tsv: return "tab-separated, header row; tab, newline and backslash escaped as \\t \\n \\\\"
        case .jsonl: return "one JSON object per line; numbers as numbers, absent values as null"
        }
    }

    public func makeFormatter(headers: Bool) -> any ResultFormatter {
        switch self {
        case .tsv: return TSVFormatter(headers: headers)
        case .jsonl: return JSONLFormatter()
        }
    }
}

/// Writes a result: a header, rows, an end; or one whole article for `show`.
public protocol ResultFormatter {
    mutating func begin(columns: [String], to out: Output) throws(OutputClosed)
    func row(_ values: [Value], to out: Output) throws(OutputClosed)
    mutating func end(to out: Output) throws(OutputClosed)
    func document(_ article: ArticleDocument, to out: Output) throws(OutputClosed)
}

extension ResultFormatter {
    public mutating func end(to out: Output) throws(OutputClosed) {}

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
