/// A GitHub table: a header row (always; Markdown tables need one), a rule with number columns
/// right-aligned, `|` escaped and newlines written `<br>`.
public struct MarkdownFormatter: BufferingFormatter {
    var result = BufferedResult()

    public init() {}

    public mutating func end(to out: Output) throws(OutputClosed) {
        try result.ensureRoomToWrite()
        let n = result.columns.count
        guard n > 0 else { return }
        var text = "| " + result.columns.map(Self.cell).joined(separator: " | ") + " |\n"
        text += "|" + (0..<n).map { result.isNumeric($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in result.rows {
            text += "| " + row.map { Self.cell($0.plainText) }.joined(separator: " | ") + " |\n"
        }
        try out.write(text)
    }

    static func cell(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "|": out += "\\|"
            case "\n": out += "<br>"
            case "\r": continue
            case "\t": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
