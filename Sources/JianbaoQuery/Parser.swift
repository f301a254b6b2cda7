/// Parses statement text into `Statement`s.
///
/// The grammar (LANGUAGE.md "Statements", "Conditions"):
///
///     script     -> statement { ';' statement } [';']
///     statement  -> select | count | show | metric | kwic | freq | collocates
///     select     -> SELECT target [fieldlist] [where] [orderby] [window]
///                 | SELECT fieldlist FROM target [where] [orderby] [window]
///     count      -> COUNT target [where] [BY name]
///     show       -> SHOW integer
///     metric     -> METRIC value [where] [BY name] [orderby] [window]
///     kwic       -> KWIC (value | pattern) [where] { WIDTH integer | LIMIT integer | OFFSET integer }
///     freq       -> FREQ name [where] { LIMIT integer | OFFSET integer }
///     collocates -> COLLOCATES value [where] { WINDOW integer | LIMIT integer | OFFSET integer }
///     fieldlist  -> '*' | name { ',' name }
///     where      -> WHERE condition
///     condition  -> conjunct { OR conjunct }
///     conjunct   -> negation { AND negation }
///     negation   -> NOT negation | primary
///     primary    -> '(' condition ')'
///                 | name [NOT] IN '(' value { ',' value } ')'
///                 | name [NOT] CONTAINS value
///                 | name [NOT] MATCHES (value | pattern)
///                 | name ('=' | '!=' | '<' | '<=' | '>' | '>=') value
///     orderby    -> ORDER BY name [ASC | DESC] { ',' name [ASC | DESC] }
///     window     -> LIMIT integer [OFFSET integer] | OFFSET integer
///     value      -> word | string
///     pattern    -> '/' text '/'
///
/// The options after `kwic`, `freq` and `collocates` come in any order, each at most once.
/// Keywords are case-insensitive. Names and values are checked later, by the resolver.
public struct Parser {
    /// Parentheses and `not` may nest this deep; deeper input is an error, not a crash.
    public static let maxNesting = 64
    /// Comparisons one `where` may hold. `and`/`or` chains nest one level per link, and every
    /// later pass walks the tree recursively: this bounds the depth at about 500 + 2 × 64.
    public static let maxComparisons = 500

    /// Every field name of every target: such a word is never taken for a misspelt keyword.
    static let fieldNames = Set(Schema.targets.flatMap { $0.fields.map(\.name) })

    var tokens: [Token]
    var position = 0
    var depth = 0
    var comparisons = 0

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
                // `select articles id ordr by id`: a misspelt keyword ends up here. In
                // `select articles were section = …` the misspelling was read as a field and
                // the word after it is the stray one: point at the misspelling.
                // `select articles id ordr by id` reads `id` as a field, rightly: the stray
                // word is the misspelling after it, so a word that is a field of some target
                // is never blamed for the one after it.
                try rejectSQLHabit()
                let previous = tokens[position - 1]
                let hint = current.word.flatMap { Suggest.nearest($0, in: Grammar.keywords) }
                if hint == nil, let word = previous.word, !Grammar.keywords.contains(word.lowercased()),
                   !Self.fieldNames.contains(word.lowercased()),
                   let keyword = Suggest.nearest(word, in: Grammar.keywords) {
                    throw QueryError(.trailing(describe(previous), suggestion: keyword), span: previous.span)
                }
                throw QueryError(.trailing(describe(current), suggestion: hint), span: current.span)
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
        case "select": position += 1; return .select(try parseSelect())
        case "count": position += 1; return try parseCount()
        case "show": position += 1; return try parseShow()
        case "metric": position += 1; return try parseMetric()
        case "kwic": position += 1; return try parseKwic()
        case "freq": position += 1; return try parseFreq()
        case "collocates": position += 1; return try parseCollocates()
        default:
            throw QueryError(.unknownStatement(word, suggestion: Suggest.nearest(word, in: Grammar.statementNames)),
                             span: current.span)
        }
    }

    /// select -> SELECT target [fieldlist] [where] [orderby] [window]
    ///         | SELECT fieldlist FROM target [where] [orderby] [window]
    mutating func parseSelect() throws(QueryError) -> SelectStatement {
        if current.isKeyword("distinct") {
            throw QueryError(.sqlHabit("select distinct", instead: "'count <target> by <field>' lists each value once, with how many rows have it"),
                             span: current.span)
        }
        var statement: SelectStatement
        if current.isSymbol("*") {
            position += 1
            try expectKeyword("from")
            statement = SelectStatement(target: try name("a target"), fields: nil)
        } else {
            let first = try name("a target or a field list")
            try rejectSQLHabit()
            if current.isSymbol(",") || current.isKeyword("from") {
                var fields = [first]
                while current.isSymbol(",") {
                    position += 1
                    fields.append(try name("a field"))
                }
                try expectKeyword("from")
                statement = SelectStatement(target: try name("a target"), fields: fields)
            } else {
                statement = SelectStatement(target: first, fields: try fieldList())
            }
        }
        statement.condition = try optionalWhere()
        statement.order = try optionalOrder()
        (statement.limit, statement.offset) = try optionalWindow()
        return statement
    }

    /// count -> COUNT target [where] [BY name]
    mutating func parseCount() throws(QueryError) -> Statement {
        let target = try name("a target")
        let condition = try optionalWhere()
        var by: Name?
        if current.isKeyword("by") {
            position += 1
            by = try name("a field to count by")
        }
        return .count(target: target, condition: condition, by: by)
    }

    /// fieldlist -> '*' | name { ',' name }   (optional after a target)
    mutating func fieldList() throws(QueryError) -> [Name]? {
        if current.isSymbol("*") { position += 1; return nil }
        guard let word = current.word, !Grammar.clauseKeywords.contains(word.lowercased()) else { return nil }
        var fields = [try name("a field")]
        try rejectSQLHabit()
        while current.isSymbol(",") {
            position += 1
            fields.append(try name("a field"))
            try rejectSQLHabit()
        }
        return fields
    }

    /// where -> WHERE condition
    mutating func optionalWhere() throws(QueryError) -> Condition? {
        guard current.isKeyword("where") else { return nil }
        position += 1
        comparisons = 0
        return try parseCondition()
    }

    /// condition -> conjunct { OR conjunct }
    mutating func parseCondition() throws(QueryError) -> Condition {
        var left = try parseConjunct()
        while current.isKeyword("or") {
            position += 1
            left = .or(left, try parseConjunct())
        }
        return left
    }

    /// conjunct -> negation { AND negation }
    mutating func parseConjunct() throws(QueryError) -> Condition {
        var left = try parseNegation()
        while current.isKeyword("and") {
            position += 1
            left = .and(left, try parseNegation())
        }
        return left
    }

    /// negation -> NOT negation | primary
    mutating func parseNegation() throws(QueryError) -> Condition {
        guard current.isKeyword("not") else { return try parsePrimary() }
        let span = current.span
        position += 1
        try enter(span)
        defer { depth -= 1 }
        return .not(try parseNegation())
    }

    /// primary -> '(' condition ')' | name [NOT] IN '(' values ')' | name [NOT] op value
    mutating func parsePrimary() throws(QueryError) -> Condition {
        if current.isSymbol("(") {
            let open = current.span
            position += 1
            try enter(open)
            defer { depth -= 1 }
            let inner = try parseCondition()
            guard current.isSymbol(")") else {
                throw QueryError(.expected("')' to close the '(' here", found: describe(current)), span: current.span)
            }
            position += 1
            return inner
        }
        comparisons += 1
        if comparisons > Self.maxComparisons { throw QueryError(.tooManyComparisons(Self.maxComparisons), span: current.span) }
        let field = try name("a field name")
        var negated = false
        if current.isKeyword("not") { negated = true; position += 1 }
        let condition: Condition
        for (first, second, instead) in [("<", ">", "write '!='"), ("=", "=", "write '='")]
        where current.isSymbol(first) && position + 1 < tokens.count && tokens[position + 1].isSymbol(second)
            && tokens[position + 1].span.lowerBound == current.span.upperBound {
            throw QueryError(.sqlHabit(first + second, instead: instead), span: current.span.lowerBound..<current.span.upperBound + 1)
        }
        if current.isKeyword("in") {
            position += 1
            condition = .isIn(field: field, values: try valueList())
        } else if let op = comparison(current), !negated || op == .contains || op == .matches {
            let opSpan = current.span
            position += 1
            condition = .compare(field: field, op: op, value: try value(allowPattern: op == .matches), opSpan: opSpan)
        } else {
            try rejectSQLHabit(after: field)
            let what = negated ? "in, contains or matches after 'not'"
                : "an operator (= != < <= > >= contains matches in)"
            throw QueryError(.expected(what, found: describe(current)), span: current.span)
        }
        return negated ? .not(condition) : condition
    }

    /// '(' value { ',' value } ')'
    mutating func valueList() throws(QueryError) -> [Literal] {
        guard current.isSymbol("(") else {
            throw QueryError(.expected("'(' and a list of values", found: describe(current)), span: current.span)
        }
        position += 1
        var values = [try value()]
        while current.isSymbol(",") {
            position += 1
            values.append(try value())
        }
        guard current.isSymbol(")") else {
            throw QueryError(.expected("',' or ')' in the list", found: describe(current)), span: current.span)
        }
        position += 1
        return values
    }

    /// orderby -> ORDER BY name [ASC | DESC] { ',' name [ASC | DESC] }
    mutating func optionalOrder() throws(QueryError) -> [OrderKey] {
        guard current.isKeyword("order") else { return [] }
        position += 1
        try expectKeyword("by")
        var keys: [OrderKey] = []
        repeat {
            if !keys.isEmpty { position += 1 }
            let field = try name("a field to order by")
            var descending = false
            if current.isKeyword("desc") { descending = true; position += 1 }
            else if current.isKeyword("asc") { position += 1 }
            keys.append(OrderKey(field: field, descending: descending))
        } while current.isSymbol(",")
        return keys
    }

    /// window -> LIMIT integer [OFFSET integer] | OFFSET integer
    mutating func optionalWindow() throws(QueryError) -> (Int?, Int?) {
        var limit: Int?, offset: Int?
        if current.isKeyword("limit") {
            position += 1
            limit = try count("limit")
        }
        if current.isKeyword("offset") {
            position += 1
            offset = try count("offset")
        }
        return (limit, offset)
    }

    /// metric -> METRIC value [where] [BY name] [orderby] [window]
    mutating func parseMetric() throws(QueryError) -> Statement {
        var statement = MetricStatement(name: try name("a metric name (营业收入 …)"))
        statement.condition = try optionalWhere()
        if current.isKeyword("by") {
            position += 1
            statement.by = try name("year, issue, section or subject")
        }
        statement.order = try optionalOrder()
        (statement.limit, statement.offset) = try optionalWindow()
        return .metric(statement)
    }

    /// kwic -> KWIC (value | pattern) [where] { WIDTH integer | LIMIT integer | OFFSET integer }
    mutating func parseKwic() throws(QueryError) -> Statement {
        let isRegex: Bool
        if case .pattern = current.kind { isRegex = true } else { isRegex = false }
        let pattern = try value(allowPattern: true, what: "a word or a /pattern/ to look for")
        var statement = KwicStatement(pattern: pattern, isRegex: isRegex)
        statement.condition = try optionalWhere()
        let options = try numericOptions(["width", "limit", "offset"], ranges: ["width": Self.widthRange])
        (statement.width, statement.limit, statement.offset) = (options["width"], options["limit"], options["offset"])
        return .kwic(statement)
    }

    /// freq -> FREQ name [where] { LIMIT integer | OFFSET integer }
    mutating func parseFreq() throws(QueryError) -> Statement {
        var statement = FreqStatement(kind: try name("words, chars, bigrams, sources or metrics"))
        statement.condition = try optionalWhere()
        let options = try numericOptions(["limit", "offset"])
        (statement.limit, statement.offset) = (options["limit"], options["offset"])
        return .freq(statement)
    }

    /// collocates -> COLLOCATES value [where] { WINDOW integer | LIMIT integer | OFFSET integer }
    mutating func parseCollocates() throws(QueryError) -> Statement {
        var statement = CollocatesStatement(word: try value(what: "a word"))
        statement.condition = try optionalWhere()
        let options = try numericOptions(["window", "limit", "offset"], ranges: ["window": Self.windowRange])
        (statement.window, statement.limit, statement.offset) = (options["window"], options["limit"], options["offset"])
        return .collocates(statement)
    }

    /// Widest `kwic` context and `collocates` window one may ask for.
    public static let widthRange = 0...1000
    public static let windowRange = 1...100

    /// `keyword N` options in any order, each at most once, within `ranges` where given.
    mutating func numericOptions(_ keywords: [String], ranges: [String: ClosedRange<Int>] = [:]) throws(QueryError) -> [String: Int] {
        var values: [String: Int] = [:]
        while let word = current.word?.lowercased(), keywords.contains(word) {
            if values[word] != nil { throw QueryError(.repeatedOption(word), span: current.span) }
            position += 1
            let span = current.span
            let value = try count(word)
            if let range = ranges[word], !range.contains(value) {
                throw QueryError(.optionOutOfRange(word, range), span: span)
            }
            values[word] = value
        }
        return values
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

    // MARK: - Tokens

    mutating func count(_ clause: String) throws(QueryError) -> Int {
        guard let word = current.word, let n = Int(word), n >= 0 else {
            throw QueryError(.expected("a whole number after '\(clause)'", found: describe(current)), span: current.span)
        }
        position += 1
        return n
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

    /// A value; a /pattern/ only where one is allowed (it is kept as its text).
    mutating func value(allowPattern: Bool = false, what: String = "a value") throws(QueryError) -> Literal {
        if case .pattern(let text) = current.kind {
            guard allowPattern else { throw QueryError(.patternNotAllowed, span: current.span) }
            let token = current
            position += 1
            return Literal(text: text, span: token.span)
        }
        return try name(what)
    }

    func comparison(_ token: Token) -> Comparison? {
        switch token.kind {
        case .symbol(let s): return Comparison(rawValue: s)
        case .word(let w): return ["contains", "matches"].contains(w.lowercased()) ? Comparison(rawValue: w.lowercased()) : nil
        default: return nil
        }
    }

    mutating func expectKeyword(_ keyword: String) throws(QueryError) {
        guard current.isKeyword(keyword) else {
            throw QueryError(.expected("'\(keyword)'", found: describe(current)), span: current.span)
        }
        position += 1
    }

    mutating func enter(_ span: Range<Int>) throws(QueryError) {
        depth += 1
        if depth > Self.maxNesting { throw QueryError(.tooDeep(Self.maxNesting), span: span) }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .word(let w): return "'\(w)'"
        case .string(let s): return "\"\(s)\""
        case .symbol(let s): return "'\(s)'"
        case .pattern(let p): return "/\(p)/"
        case .end: return "end of statement"
        }
    }
}

/// Keyword lists shared by the parser, error messages and completion.
public enum Grammar {
    public static let statementNames = ["select", "count", "show", "metric", "kwic", "freq", "collocates"]
    /// Words that end a field list after a target.
    public static let clauseKeywords: Set<String> = ["from", "where", "order", "limit", "offset", "by"]
    /// Every keyword, for completion and suggestions.
    public static let keywords = ["select", "count", "show", "metric", "from", "where", "and", "or", "not", "in",
                                  "contains", "matches", "order", "by", "asc", "desc", "limit", "offset",
                                  "kwic", "freq", "collocates", "width", "window"]
    /// What `freq` counts.
    public static let freqKinds = FreqKind.allCases.map(\.rawValue)
}
