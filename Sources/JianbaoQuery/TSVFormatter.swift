/// Tab-separated values with a header row: the default when output is not a terminal.
/// Tab, newline, carriage return and backslash in cells are written `\t` `\n` `\r` `\\`,
/// so that every row is one line for `cut`, `awk` and `sort`.
public struct TSVFormatter: ResultFormatter {
    /// Whether to write the header row.
    let headers: Bool

    public init(headers: Bool) { self.headers = headers }

    public func begin(columns: [String], to out: Output) throws(OutputClosed) {
        guard headers else { return }
        try out.write(columns.map(Self.escape).joined(separator: "\t") + "\n")
    }

    public func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        var line = ""
        for (i, value) in values.enumerated() {
            if i > 0 { line += "\t" }
            line += Self.escape(value.plainText)
        }
        line += "\n"
        try out.write(line)
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
