/// A token of a statement and where it stands in the statement text.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A bare word: keywords, names, CJK words; any run up to white space or punctuation.
        case word(String)
        /// A quoted string with its escapes resolved.
        case string(String)
        /// `,` `(` `)` `;` `=` `!=` `<` `<=` `>` `>=` `*`.
        case symbol(String)
        /// A regular expression between slashes (`/科创\w+/`), `\/` read as `/`.
        case pattern(String)
        case end
    }

    public var kind: Kind
    /// Byte offsets into the statement text: where the token starts and ends.
    public var span: Range<Int>

    /// The word's text when the token is a bare word.
    public var word: String? {
        if case .word(let w) = kind { return w }
        return nil
    }

    /// Whether the token is the keyword `keyword` (case-insensitive).
    public func isKeyword(_ keyword: String) -> Bool {
        word?.lowercased() == keyword
    }

    public func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
}

/// Splits statement text into tokens (LANGUAGE.md "Statements", "Conditions").
///
/// A bare word runs up to white space or one of `,()`;=<>!"'`; a `/` that starts a token
/// starts a pattern, which ends at the next `/` not escaped; `#` and `--` start a comment
/// to the end of the line when they begin a token.
public struct Lexer {
    let bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }

    public func tokens() throws(QueryError) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while true {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            if i >= bytes.count { break }
            let b = bytes[i]
            if b == UInt8(ascii: "#") || (b == UInt8(ascii: "-") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-")) {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                continue
            }
            let start = i
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let (text, end) = try quoted(from: i)
                tokens.append(Token(kind: .string(text), span: start..<end))
                i = end
            case UInt8(ascii: "/"):
                let (text, end) = try slashed(from: i)
                tokens.append(Token(kind: .pattern(text), span: start..<end))
                i = end
            case UInt8(ascii: "!"):
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "=") else {
                    throw QueryError(.unexpectedCharacter("!"), span: i..<i + 1)
                }
                tokens.append(Token(kind: .symbol("!="), span: i..<i + 2)); i += 2
            case UInt8(ascii: "<"), UInt8(ascii: ">"):
                let two = i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "=")
                let text = String(UnicodeScalar(b)) + (two ? "=" : "")
                tokens.append(Token(kind: .symbol(text), span: i..<i + text.count)); i += text.count
            case UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "*"):
                tokens.append(Token(kind: .symbol(String(UnicodeScalar(b))), span: i..<i + 1)); i += 1
            default:
                while i < bytes.count, !isSpace(bytes[i]), !isWordStop(bytes[i]) { i += 1 }
                tokens.append(Token(kind: .word(String(decoding: bytes[start..<i], as: UTF8.self)), span: start..<i))
            }
        }
        tokens.append(Token(kind: .end, span: bytes.count..<bytes.count))
        return tokens
    }

    /// A quoted string starting at `start`: its text and the offset after the closing quote.
    private func quoted(from start: Int) throws(QueryError) -> (String, Int) {
        let quote = bytes[start]
        var out: [UInt8] = []
        var i = start + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == quote { return (String(decoding: out, as: UTF8.self), i + 1) }
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                // \\ \" \' \n \t are escapes; any other backslash stays, so that a regular
                // expression such as "\d+万元" reads as written.
                let next = bytes[i + 1]
                switch next {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(next)
                default: out += [b, next]
                }
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        throw QueryError(.unterminatedString, span: start..<bytes.count)
    }

    /// A pattern between slashes starting at `start`: its text and the offset after the
    /// closing slash. `\/` is a slash; every other backslash pair is kept for the regex engine.
    private func slashed(from start: Int) throws(QueryError) -> (String, Int) {
        var out: [UInt8] = []
        var i = start + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "/") { return (String(decoding: out, as: UTF8.self), i + 1) }
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                if bytes[i + 1] == UInt8(ascii: "/") { out.append(bytes[i + 1]) } else { out += [b, bytes[i + 1]] }
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        throw QueryError(.unterminatedPattern, span: start..<bytes.count)
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private func isWordStop(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "="),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }
}
