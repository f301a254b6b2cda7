import CBytes

/// Tab-separated values with a header row: the default when output is not a terminal.
/// Tab, newline, carriage return and backslash in cells are written `\t` `\n` `\r` `\\`,
/// so that every row is one line for `cut`, `awk` and `sort`.
///
/// Cells go into the output buffer as bytes (text from the corpus straight from its buffer):
/// this is the path `select paragraphs > file` runs on (docs/BENCHMARKS.md).
public struct TSVFormatter: ResultFormatter, RawRowEncoder {
    /// Whether to write the header row.
    let headers: Bool

    public init(headers: Bool) { self.headers = headers }

    public func begin(columns: [String], to out: Output) throws(OutputClosed) {
        guard headers else { return }
        try out.writeRow { buffer in
            for (i, column) in columns.enumerated() {
                if i > 0 { buffer.append(0x09) }
                var column = column
                column.withUTF8 { Self.escape($0, into: &buffer) }
            }
            buffer.append(0x0A)
        }
    }

    public func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        try out.writeRow { buffer in
            for (i, value) in values.enumerated() {
                if i > 0 { buffer.append(0x09) }
                switch value {
                case .null:
                    break
                case .integer(let n):
                    Self.appendDecimal(n, to: &buffer)
                case .slice(let slice):
                    slice.forEachPiece { Self.escape($0, into: &buffer) }
                default:
                    var text = value.plainText
                    text.withUTF8 { Self.escape($0, into: &buffer) }
                }
            }
            buffer.append(0x0A)
        }
    }

    public func encode(_ cells: UnsafeBufferPointer<RawCell>, into buffer: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x09) }
            switch cell {
            case .integer(let n): Self.appendDecimal(n, to: &buffer)
            case .text(let bytes): Self.escape(bytes, into: &buffer)
            }
        }
        buffer.append(0x0A)
    }

    /// Appends `bytes`, escaping tab, newline, carriage return and backslash.
    static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let i = start + jb_find_tsv_special(base + start, bytes.count - start)
            buffer.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
            guard i < bytes.count else { return }
            let b = bytes[i]
            buffer.append(0x5C)
            buffer.append(b == 0x09 ? UInt8(ascii: "t") : b == 0x0A ? UInt8(ascii: "n") : b == 0x0D ? UInt8(ascii: "r") : 0x5C)
            start = i + 1
        }
    }

    /// The escaped form of a text, for tests and messages.
    static func escape(_ text: String) -> String {
        var buffer: [UInt8] = []
        var text = text
        text.withUTF8 { escape($0, into: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }
}
