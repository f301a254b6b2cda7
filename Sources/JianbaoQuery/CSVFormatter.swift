/// CSV per RFC 4180: a field holding a comma, a quote, CR or LF is quoted, with quotes
/// doubled; records end in CRLF. Lists are joined with ` / ` as in `tsv`. Every field goes
/// through `appendField`, on bytes; text from the corpus straight from its buffer.
public struct CSVFormatter: ResultFormatter, RawRowEncoder {
    let headers: Bool

    public init(headers: Bool) { self.headers = headers }

    public func begin(columns: [String], to out: Output) throws(OutputClosed) {
        guard headers else { return }
        try out.writeRow { buffer in
            for (i, column) in columns.enumerated() {
                if i > 0 { buffer.append(0x2C) }
                var column = column
                column.withUTF8 { Self.appendField($0, to: &buffer) }
            }
            buffer += [0x0D, 0x0A]
        }
    }

    public func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        try out.writeRow { buffer in
            for (i, value) in values.enumerated() {
                if i > 0 { buffer.append(0x2C) }
                switch value {
                case .null: break
                case .integer(let n): Self.appendDecimal(n, to: &buffer)
                case .slice(let slice) where slice.ranges.count == 1:
                    slice.forEachPiece { Self.appendField($0, to: &buffer) }
                default:
                    var text = value.plainText
                    text.withUTF8 { Self.appendField($0, to: &buffer) }
                }
            }
            buffer += [0x0D, 0x0A]
        }
    }

    public func encode(_ cells: UnsafeBufferPointer<RawCell>, into buffer: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            switch cell {
            case .integer(let n): Self.appendDecimal(n, to: &buffer)
            case .text(let bytes): Self.appendField(bytes, to: &buffer)
            }
        }
        buffer += [0x0D, 0x0A]
    }

    /// Appends one field, quoted (quotes doubled) when it holds a comma, a quote, CR or LF.
    static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(0x22)
        for b in bytes {
            if b == 0x22 { buffer.append(0x22) }
            buffer.append(b)
        }
        buffer.append(0x22)
    }

    /// The field as text, for tests and messages.
    static func field(_ text: String) -> String {
        var buffer: [UInt8] = []
        var text = text
        text.withUTF8 { appendField($0, to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }
}
