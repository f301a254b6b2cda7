import Testing
@testable import JianbaoQuery

/// Written then read back, `csv` and `tsv` give the cells that went in: random cells built
/// from the pieces that need quoting or escaping, read with an independent RFC 4180 reader and
/// a TSV unescaper written here.
@Suite struct RoundTripTests {
    static let pieces = ["a", "简报", ",", "，", "\"", "\"\"", "\n", "\r", "\r\n", "\t", "\\", "\\t", " ", "", "😀", "e\u{301}", "1,400"]

    /// Deterministic random tables: up to 6 rows of 1 to 5 cells, each of up to 5 pieces.
    static func tables(count: Int, seed: UInt64) -> [[[String]]] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        return (0..<count).map { _ in
            let width = 1 + next(5)
            return (0..<(1 + next(6))).map { _ in
                (0..<width).map { _ in (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined() }
            }
        }
    }

    /// RFC 4180: fields separated by commas, records by CRLF; a quoted field may hold
    /// anything, with quotes doubled.
    static func readCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append("\""); scalars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true; wasQuoted = true
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\r" && scalars.first == "\n" {
                scalars.removeFirst()
                record.append(field); records.append(record)
                record = []; field = ""; wasQuoted = false
            } else if c == "\r" || c == "\n" || c == "\"" || wasQuoted {
                // RFC 4180 allows CR, LF and quotes only inside quotes, and nothing after the
                // closing quote but a separator.
                return [["unquoted \(c.escaped(asASCII: true)) in a field"]]
            } else {
                field.unicodeScalars.append(c)
            }
        }
        #expect(record.isEmpty && field.isEmpty, "the last record ends in CRLF")
        return records
    }

    static func readTSV(_ text: String) -> [[String]] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "every row ends in a newline")
        lines.removeLast()
        return lines.map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { cell in
                var out = "", escaped = false
                for c in cell.unicodeScalars {
                    if escaped {
                        out.unicodeScalars.append(c == "t" ? "\t" : c == "n" ? "\n" : c == "r" ? "\r" : c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\r" {
                        return "raw CR in a cell"
                    } else {
                        out.unicodeScalars.append(c)
                    }
                }
                #expect(!escaped, "no cell ends in a lone backslash")
                return out
            }
        }
    }

    func write(_ formatter: some ResultFormatter, _ table: [[String]]) throws -> String {
        var formatter = formatter
        let out = Output()
        try formatter.begin(columns: table[0], to: out)
        for row in table.dropFirst() { try formatter.row(row.map(Value.text), to: out) }
        try formatter.end(to: out)
        return out.text
    }

    @Test func csvReadsBackToTheSameCells() throws {
        for table in Self.tables(count: 1500, seed: 7) {
            let text = try write(CSVFormatter(headers: true), table)
            #expect(Self.readCSV(text) == table, "\(text.debugDescription)")
        }
    }

    @Test func tsvReadsBackToTheSameCells() throws {
        for table in Self.tables(count: 1500, seed: 11) {
            let text = try write(TSVFormatter(headers: true), table)
            #expect(Self.readTSV(text) == table, "\(text.debugDescription)")
        }
    }

    /// The readers are not so lenient that anything passes: a field written unquoted where it
    /// needed quotes reads back differently.
    @Test func readersNoticeMissingQuotingOrEscaping() {
        #expect(Self.readCSV("a,b\r\n") != [["a,b"]])
        #expect(Self.readCSV("a\rb\r\n") != [["a\rb"]])
        #expect(Self.readCSV("say \"hi\"\r\n") != [["say \"hi\""]])
        #expect(Self.readTSV("a\tb\n") != [["a\tb"]])
    }
}
