/// Parses statement text into `Statement`s.
///
/// The grammar (LANGUAGE.md "Statements"), as far as this parser goes:
///
///     script     -> statement { ';' statement } [';']
///     statement  -> select | count | show
///     select     -> SELECT target [fieldlist]
///                 | SELECT fieldlist FROM target
///     count      -> COUNT target
///     show       -> SHOW integer
///     fieldlist  -> '*' | name { ',' name }
///
/// Keywords are case-insensitive. Names are checked later, by the resolver.
public struct Parser {
    var tokens: [Token]
    var position = 0

    public init(_ text: String) throws(QueryError) {
        tokens = try Lexer(text).tokens()
    }

    var current: Token { tokens[position] }

    /// script -> statement { ';' statement } [';']
    public mutating func statements() throws(QueryError) -> [(Statement, Range<Int>)] {
        var result: [(Statement, Range<Int>)] = []
        while current.kind != .end {
            if current.isSymbol(";") { position += 1; continue }
            let start = current.span.lowerBound
            let statement = try parseStatement()
            result.append((statement, start..<tokens[position - 1].span.upperBound))
            if current.kind != .end && !current.isSymbol(";") {
                throw QueryError(.trailing(describe(current)), span: current.span)
            }
        }
        return result
    }

    /// statement -> select | count | show
    mutating func parseStatement() throws(QueryError) -> Statement {
        guard let word = current.word else {
            throw QueryError(.expected("a statement", found: describe(current)), span: current.span)
        }
        switch word.lowercased() {
        case "select": position += 1; return try parseSelect()
        case "count": position += 1; return .count(target: try name("a target"))
        case "show": position += 1; return try parseShow()
        default:
            throw QueryError(.unknownStatement(word, suggestion: Suggest.nearest(word, in: Grammar.statementNames)),
                             span: current.span)
        }
    }

    /// select -> SELECT target [fieldlist] | SELECT fieldlist FROM target
    mutating func parseSelect() throws(QueryError) -> Statement {
        if current.isSymbol("*") {
            position += 1
            try expectKeyword("from")
            return .select(target: try name("a target"), fields: nil)
        }
        let first = try name("a target or a field list")
        if current.isSymbol(",") || current.isKeyword("from") {
            var fields = [first]
            while current.isSymbol(",") {
                position += 1
                fields.append(try name("a field"))
            }
            try expectKeyword("from")
            return .select(target: try name("a target"), fields: fields)
        }
        return .select(target: first, fields: try fieldList())
    }

    /// fieldlist -> '*' | name { ',' name }   (optional after a target)
    mutating func fieldList() throws(QueryError) -> [Name]? {
        if current.isSymbol("*") { position += 1; return nil }
        guard current.word != nil, !Grammar.clauseKeywords.contains(current.word!.lowercased()) else { return nil }
        var fields = [try name("a field")]
        while current.isSymbol(",") {
            position += 1
            fields.append(try name("a field"))
        }
        return fields
    }

    /// show -> SHOW integer
    mutating func parseShow() throws(QueryError) -> Statement {
        guard let word = current.word, let id = Int(word), id > 0 else {
            throw QueryError(.expected("an article id (a number from 1)", found: describe(current)), span: current.span)
        }
        let span = current.span
        position += 1
        return .show(id: id, span: span)
    }

    mutating func name(_ what: String) throws(QueryError) -> Name {
        switch current.kind {
        case .word(let text), .string(let text):
            let token = current
            position += 1
            return Name(text: text, span: token.span)
        default:
            throw QueryError(.expected(what, found: describe(current)), span: current.span)
        }
    }

    mutating func expectKeyword(_ keyword: String) throws(QueryError) {
        guard current.isKeyword(keyword) else {
            throw QueryError(.expected("'\(keyword)'", found: describe(current)), span: current.span)
        }
        position += 1
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .word(let w): return "'\(w)'"
        case .string(let s): return "\"\(s)\""
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of statement"
        }
    }
}

/// Keyword lists shared by the parser, error messages and (later) completion.
public enum Grammar {
    public static let statementNames = ["select", "count", "show"]
    /// Words that end a field list after a target.
    public static let clauseKeywords: Set<String> = ["from", "where", "order", "limit", "offset", "by"]
}
