import JianbaoQuery

/// Arbitrary cells through every output mode at two widths: the input is split into rows on
/// newlines and cells on tabs; a cell of digits only becomes a number.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let rows = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(50).map { line in
        line.split(separator: "\t", omittingEmptySubsequences: false).prefix(12).map { cell -> Value in
            if let n = Int(cell) { return .integer(n) }
            return cell.isEmpty ? .null : .text(String(cell))
        }
    }
    guard let header = rows.first else { return 0 }
    let columns = header.map { $0.plainText }
    for mode in OutputMode.allCases {
        for width in [nil, 1, 40] as [Int?] {
            var formatter = mode.makeFormatter(OutputStyle(headers: true, width: width))
            let out = Output()
            do {
                try formatter.begin(columns: columns, to: out)
                for row in rows.dropFirst() {
                    // Rows as wide as the header, as the evaluator makes them.
                    try formatter.row(Array((row + Array(repeating: Value.null, count: columns.count)).prefix(columns.count)), to: out)
                }
                try formatter.end(to: out)
            } catch {}
        }
    }
    return 0
}
