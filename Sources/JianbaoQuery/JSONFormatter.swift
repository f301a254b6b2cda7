/// One JSON array of objects, one object per line: `[`, the objects separated by `,`, `]`.
/// `show` writes the article's object alone.
public struct JSONFormatter: ResultFormatter {
    var inner = JSONLFormatter()
    var first = true

    public init() {}

    public mutating func begin(columns: [String], to out: Output) throws(OutputClosed) {
        try inner.begin(columns: columns, to: out)
        try out.write("[")
        first = true
    }

    public mutating func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        try out.write(first ? "\n" : ",\n")
        first = false
        try out.write(inner.object(values))
    }

    public mutating func end(to out: Output) throws(OutputClosed) {
        try out.write(first ? "]\n" : "\n]\n")
    }

    public func document(_ article: ArticleDocument, to out: Output) throws(OutputClosed) {
        try inner.document(article, to: out)
    }
}
