/// The lines of a statement not yet complete, with what the lexer says of them kept up to
/// date line by line: parentheses still open and a string still open. A statement of many
/// lines is then lexed once, not once per line (which made a 100,000-line paste quadratic).
struct PendingStatement {
    private(set) var lines: [String] = []
    /// Bytes of `text`.
    private(set) var bytes = 0
    private var depth = 0
    /// The quote a string is open with at the end, if any.
    private var openQuote: UInt8?
    /// A lexer error other than an open string: the statement is complete and will fail.
    private var broken = false

    var isEmpty: Bool { lines.isEmpty }

    /// The statement as one text, lines joined with newlines.
    var text: String { lines.joined(separator: "\n") }

    /// Whether an open parenthesis or quote says more lines are to come.
    var isUnfinished: Bool { !broken && (openQuote != nil || depth > 0) }

    mutating func removeAll() { self = PendingStatement() }

    mutating func append(_ line: String) {
        bytes += line.utf8.count + (lines.isEmpty ? 0 : 1)
        lines.append(line)
        guard !broken else { return }
        var rest = Substring(line)
        if let quote = openQuote {
            // The string goes on until its quote; a backslash escapes the byte after it.
            let b = Array(line.utf8)
            var k = 0, closed: Int?
            while k < b.count {
                if b[k] == UInt8(ascii: "\\") { k += 2; continue }
                if b[k] == quote { closed = k; break }
                k += 1
            }
            guard let closed else { return }
            openQuote = nil
            rest = Substring(String(decoding: b[(closed + 1)...], as: UTF8.self))
        }
        do {
            depth += Self.parentheses(try Lexer(String(rest)).tokens())
        } catch where error.kind == .unterminatedString {
            let b = Array(rest.utf8)
            let at = error.span.lowerBound
            depth += Self.parentheses((try? Lexer(String(decoding: b[..<at], as: UTF8.self)).tokens()) ?? [])
            openQuote = b[at]
        } catch {
            broken = true
        }
    }

    private static func parentheses(_ tokens: [Token]) -> Int {
        tokens.reduce(0) { $0 + ($1.isSymbol("(") ? 1 : $1.isSymbol(")") ? -1 : 0) }
    }
}
