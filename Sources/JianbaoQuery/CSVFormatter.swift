/// CSV per RFC 4180: a field holding a comma, a quote, CR or LF is quoted, with quotes
/// doubled; records end in CRLF. Lists are joined with ` / ` as in `tsv`.
public struct CSVFormatter: ResultFormatter {
    let headers: Bool

    public init(headers: Bool) { self.headers = headers }

    public func begin(columns: [String], to out: Output) throws(OutputClosed) {
        guard headers else { return }
        try out.write(columns.map(Self.field).joined(separator: ",") + "\r\n")
    }

    public func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        try out.write(values.map { Self.field($0.plainText) }.joined(separator: ",") + "\r\n")
    }

    static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }
}
