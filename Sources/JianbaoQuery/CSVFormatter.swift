/// CSV per RFC 4180: a field holding a comma, a quote, CR or LF is quoted, with quotes
/// doubled; records end in CRLF. Lists are joined with ` / ` as in `tsv`.
public struct CSVFormatter: ResultFormatter, RawRowEncoder {
    let headers: Bool

    public init(headers: Bool) { self.headers = headers }

    public func begin(columns: [String], to out: Output) throws(OutputClosed) {
        guard headers else { return }
        try out.write(columns.map(Self.field).joined(separator: ",") + "\r\n")
    }

    public func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        try out.write(values.map { Self.field($0.plainText) }.joined(separator: ",") + "\r\n")
    }

    public func encode(_ cells: UnsafeBufferPointer<RawCell>, into buffer: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            switch cell {
            case .integer(let n):
                Self.appendDecimal(n, to: &buffer)
            case .text(let bytes):
                guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                    buffer.append(contentsOf: bytes)
                    continue
                }
                buffer.append(0x22)
                for b in bytes {
                    if b == 0x22 { buffer.append(0x22) }
                    buffer.append(b)
                }
                buffer.append(0x22)
            }
        }
        buffer += [0x0D, 0x0A]
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
