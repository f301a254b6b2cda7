import Testing
@testable import JianbaoQuery

/// Splits `⟦…⟧` out of a case's text: the text without the marks and the marked byte span.
func marked(_ text: String) -> (String, Range<Int>) {
    let open = text.range(of: "⟦")!, close = text.range(of: "⟧")!
    let before = String(text[..<open.lowerBound])
    let inside = String(text[open.upperBound..<close.lowerBound])
    let after = String(text[close.upperBound...])
    let start = before.utf8.count
    return (before + inside + after, start..<(start + inside.utf8.count))
}

@Suite struct LexerTests {
    /// Each expected token is the source text its span covers; strings also give their value.
    @Test(arguments: [
        ("select articles", ["select", "articles"]),
        ("select title,source from articles", ["select", "title", ",", "source", "from", "articles"]),
        ("section=金融工作", ["section", "=", "金融工作"]),
        ("chars>=100 and chars!=5 or x<y", ["chars", ">=", "100", "and", "chars", "!=", "5", "or", "x", "<", "y"]),
        ("title in (科创板,“硬科技”)", ["title", "in", "(", "科创板", ",", "“硬科技”", ")"]),
        ("a = \"x y\" -- comment", ["a", "=", "\"x y\""]),
        ("a = 'it''s' # comment", ["a", "=", "'it'", "'s'"]),
        ("count articles; count issues", ["count", "articles", ";", "count", "issues"]),
        ("select *", ["select", "*"]),
        ("x matches \"\\d+万元\"", ["x", "matches", "\"\\d+万元\""]),
        ("\u{3000}全角空格不是分隔", ["\u{3000}全角空格不是分隔"]),
    ])
    func tokens(_ input: String, _ expected: [String]) throws {
        let tokens = try Lexer(input).tokens()
        let bytes = Array(input.utf8)
        #expect(tokens.last?.kind == .end)
        #expect(tokens.dropLast().map { String(decoding: bytes[$0.span], as: UTF8.self) } == expected)
    }

    @Test(arguments: [
        ("\"a\\\"b\"", "a\"b"), ("'a\\'b'", "a'b"), ("\"a\\\\b\"", "a\\b"), ("\"a\\nb\"", "a\nb"),
        ("\"\\d+\"", "\\d+"), ("\"科创\"", "科创"),
    ])
    func stringEscapes(_ input: String, _ value: String) throws {
        #expect(try Lexer(input).tokens().first?.kind == .string(value))
    }

    @Test(arguments: ["select ⟦\"abc⟧", "a ⟦!⟧ b", "x = ⟦'未闭合⟧"])
    func errorsAreMarked(_ text: String) {
        let (input, span) = marked(text)
        #expect(throws: QueryError.self) { try Lexer(input).tokens() }
        do { _ = try Lexer(input).tokens() } catch { #expect(error.span == span) }
    }
}

@Suite struct ParserTests {
    static func parse(_ text: String) throws -> [Statement] {
        var parser = try Parser(text)
        return try parser.statements().map(\.0)
    }

    /// Parsing, printing and parsing again gives the same tree; the printed form is shown.
    @Test(arguments: [
        ("select articles", "select articles"),
        ("SELECT title, source FROM articles", "select articles title, source"),
        ("select * from issues", "select issues"),
        ("select articles where section = 金融工作", "select articles where section = 金融工作"),
        ("select articles id where a = 1 and b = 2 or c = 3", "select articles id where a = 1 and b = 2 or c = 3"),
        ("select articles where a = 1 and (b = 2 or c = 3)", "select articles where a = 1 and (b = 2 or c = 3)"),
        ("select articles where not a = 1 and not (b = 2 or c = 3)", "select articles where not a = 1 and not (b = 2 or c = 3)"),
        ("select articles where a = 1 or (b = 2 or c = 3)", "select articles where a = 1 or (b = 2 or c = 3)"),
        ("select articles where title not contains 科创", "select articles where not title contains 科创"),
        ("select articles where source not in (甲, 乙)", "select articles where not source in (甲, 乙)"),
        ("select articles where title matches \"\\d+亿元\"", "select articles where title matches \"\\\\d+亿元\""),
        ("select articles where title = \"and\"", "select articles where title = \"and\""),
        ("select articles order by date desc, id asc limit 5 offset 10", "select articles order by date desc, id limit 5 offset 10"),
        ("select articles offset 3", "select articles offset 3"),
        ("count articles where year >= 2020 by section", "count articles where year >= 2020 by section"),
        ("count articles by year, section order by count desc, year limit 5", "count articles by year, section order by count desc, year limit 5"),
        ("select figures subject, count(*), sum(amount) where base = 元 group by subject order by sum(amount) desc limit 3",
         "select figures subject, count(*), sum(amount) where base = 元 group by subject order by sum(amount) desc limit 3"),
        ("SELECT subject, COUNT(DISTINCT metric) FROM figures GROUP BY subject", "select figures subject, count(distinct metric) group by subject"),
        ("select count(*) from figures", "select figures count(*)"),
        ("trend 科创 where section = 金融工作 by year", "trend 科创 where section = 金融工作 by year"),
        ("trend /科创\\w/ by month", "trend /科创\\w/ by month"),
        ("keywords where year = 2024 vs year = 2023 min 5 limit 10 negative", "keywords where year = 2024 vs year = 2023 min 5 limit 10 negative"),
        ("keywords where section = 金融工作", "keywords where section = 金融工作"),
        ("metric 营业收入 by year, subject", "metric 营业收入 by year, subject"),
        ("freq ngrams 3 limit 5", "freq ngrams 3 limit 5"),
        ("show 12", "show 12"),
    ])
    func roundTrip(_ input: String, _ printed: String) throws {
        let first = try #require(try Self.parse(input).first)
        #expect(first.canonicalText == printed)
        let again = try #require(try Self.parse(first.canonicalText).first)
        #expect(again.withoutSpans == first.withoutSpans)
    }

    @Test func precedenceAndAssociativity() throws {
        guard case .select(let s) = try Self.parse("select a where x = 1 or y = 2 and not z = 3")[0],
              case .or(_, .and(_, .not)) = s.condition else {
            Issue.record("and binds tighter than or, not tighter than and")
            return
        }
    }

    /// The span marked ⟦…⟧ is where the error points; the message contains the text given.
    @Test(arguments: [
        ("⟦selct⟧ articles", "unknown statement 'selct'; did you mean 'select'?"),
        ("select articles where ⟦)⟧", "expected a field name, found ')'"),
        ("select articles where title ⟦科创⟧", "expected an operator"),
        ("select articles where (title = a ⟦limit⟧", "expected ')' to close the '(' here"),
        ("select articles where title not ⟦=⟧ a", "expected in, contains or matches after 'not'"),
        ("select articles where title in ⟦a⟧", "expected '(' and a list of values"),
        ("select articles where title in (a ⟦b⟧", "expected ',' or ')' in the list"),
        ("select articles limit ⟦-1⟧", "expected a whole number after 'limit'"),
        ("select articles order ⟦id⟧", "expected 'by'"),
        ("select title, source ⟦articles⟧", "expected 'from'"),
        ("show ⟦x⟧", "expected an article id"),
        ("count articles by section ⟦extra⟧", "unexpected 'extra' after the end of the statement"),
        ("⟦42⟧", "unknown statement '42'"),
    ])
    func errors(_ text: String, _ message: String) {
        let (input, span) = marked(text)
        do {
            _ = try Self.parse(input)
            Issue.record("no error for \(input)")
        } catch let error as QueryError {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.span == span)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "select a where " + String(repeating: "(", count: 10_000) + "x = 1" + String(repeating: ")", count: 10_000)
        #expect(throws: QueryError.self) { try Self.parse(deep) }
        let nots = "select a where " + String(repeating: "not ", count: 10_000) + "x = 1"
        do { _ = try Self.parse(nots); Issue.record("accepted") } catch let e as QueryError {
            #expect(e.message == "conditions nest deeper than 64 levels")
        } catch { Issue.record("\(error)") }
        #expect((try? Self.parse("select a where " + String(repeating: "(", count: 60) + "x = 1" + String(repeating: ")", count: 60))) != nil)
    }
}

/// Random statements, printed and parsed again, give the same tree.
@Suite struct PrintParseProperty {
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

        static let words = ["金融工作", "科创板", "上海国际集团", "2024", "2024-03", "3.65万亿元", "a b", "and", "x\"y", "it's",
                            "back\\slash", "(括号)", "逗,号", "--dash", "#hash", "title", "ＡＢＣ", "😀", "e\u{301}", "tab\tand\nnewline"]
        static let fields = ["title", "section", "source", "chars", "date", "body", "标题"]

        mutating func condition(_ depth: Int) -> Condition {
            let name = Name(text: pick(Self.fields), span: 0..<0)
            if depth > 3 || next(3) == 0 {
                if next(4) == 0 {
                    return .isIn(field: name, values: (0...next(3)).map { _ in Name(text: pick(Self.words), span: 0..<0) })
                }
                return .compare(field: name, op: pick(Comparison.allCases), value: Name(text: pick(Self.words), span: 0..<0), opSpan: 0..<0)
            }
            switch next(3) {
            case 0: return .not(condition(depth + 1))
            case 1: return .and(condition(depth + 1), condition(depth + 1))
            default: return .or(condition(depth + 1), condition(depth + 1))
            }
        }

        /// Patterns between slashes: slashes and backslash pairs inside (a lone backslash
        /// before a slash is the same pattern as the slash alone, so it is not generated).
        static let patterns = ["\\d+亿元", "科创/板", "a b", "(?:x)|y", "\\\\", "/", "x\\\\/y", "^开头$"]

        mutating func options(_ keywords: [String]) -> [String: Int] {
            var values: [String: Int] = [:]
            for keyword in keywords where next(2) == 0 { values[keyword] = next(keyword == "window" ? 100 : 1000) + (keyword == "window" ? 1 : 0) }
            return values
        }

        mutating func statement() -> Statement {
            let target = Name(text: pick(["articles", "issues", "sentences", "自定义"]), span: 0..<0)
            let filter = next(2) == 0 ? condition(0) : nil
            switch next(10) {
            case 7:
                let regex = next(2) == 0
                return .trend(TrendStatement(pattern: Name(text: regex ? pick(Self.patterns) : pick(Self.words), span: 0..<0),
                                             isRegex: regex, condition: filter, by: Name(text: pick(["year", "month", "来源"]), span: 0..<0)))
            case 8:
                var k = KeywordsStatement(focus: condition(0), focusSpan: 0..<0)
                if next(2) == 0 { k.reference = condition(0); k.referenceSpan = 0..<0 }
                let o = options(["min", "limit", "offset"])
                (k.minimum, k.limit, k.offset) = (o["min"], o["limit"], o["offset"])
                k.negative = next(2) == 0
                return .keywords(k)
            case 9:
                // select with aggregates, group by and order by an aggregate.
                let calls = (0...next(2)).map { _ -> Aggregate in
                    let function = pick(AggregateFunction.allCases)
                    let star = function == .count && next(2) == 0
                    return Aggregate(function: function, argument: star ? nil : Name(text: pick(Self.fields), span: 0..<0),
                                     distinct: function == .count && !star && next(2) == 0, span: 0..<0)
                }
                var fields = (0..<next(3)).map { _ in Name(text: pick(Self.fields), span: 0..<0) }
                var aggregates: [SelectAggregate] = []
                for call in calls { aggregates.append(SelectAggregate(call: call, position: next(fields.count + aggregates.count + 1))) }
                // Positions must be distinct and within the list: place them in order.
                aggregates = aggregates.enumerated().map { k, a in SelectAggregate(call: a.call, position: min(a.position, fields.count + k)) }
                aggregates.sort { $0.position < $1.position }
                for k in aggregates.indices where k > 0 && aggregates[k].position <= aggregates[k - 1].position {
                    aggregates[k].position = aggregates[k - 1].position + 1
                }
                if fields.isEmpty && next(2) == 0 { fields = [] }
                var s = SelectStatement(target: target, fields: fields.isEmpty ? nil : fields)
                s.aggregates = aggregates
                if next(2) == 0 { s.condition = condition(0) }
                s.groupBy = (0..<next(3)).map { _ in Name(text: pick(Self.fields), span: 0..<0) }
                if next(2) == 0 {
                    let call = calls[next(calls.count)]
                    s.order = [OrderKey(field: Name(text: call.label, span: 0..<0), descending: next(2) == 0, aggregate: call)]
                }
                if next(2) == 0 { s.limit = next(100) }
                return .select(s)
            case 3:
                var m = MetricStatement(name: Name(text: pick(Self.words), span: 0..<0), condition: filter)
                if next(2) == 0 { m.by = (0...next(2)).map { _ in Name(text: pick(["year", "subject", "季度"]), span: 0..<0) } }
                if next(2) == 0 { m.limit = next(50) }
                return .metric(m)
            case 4:
                let regex = next(2) == 0
                let o = options(["width", "limit", "offset"])
                return .kwic(KwicStatement(pattern: Name(text: regex ? pick(Self.patterns) : pick(Self.words), span: 0..<0), isRegex: regex,
                                           condition: filter, width: o["width"], limit: o["limit"], offset: o["offset"]))
            case 5:
                let o = options(["limit", "offset"])
                let kind = pick(["words", "chars", "bigrams", "sources", "metrics", "字", "ngrams"])
                return .freq(FreqStatement(kind: Name(text: kind, span: 0..<0), n: kind == "ngrams" ? 2 + next(5) : nil,
                                           condition: filter, limit: o["limit"], offset: o["offset"]))
            case 6:
                let o = options(["window", "limit", "offset"])
                return .collocates(CollocatesStatement(word: Name(text: pick(Self.words), span: 0..<0), condition: filter,
                                                       window: o["window"], limit: o["limit"], offset: o["offset"]))
            default:
                break
            }
            switch next(3) {
            case 0:
                var s = SelectStatement(target: target, fields: next(2) == 0 ? nil : (0...next(3)).map { _ in Name(text: pick(Self.fields), span: 0..<0) })
                if next(2) == 0 { s.condition = condition(0) }
                if next(2) == 0 { s.order = (0...next(2)).map { _ in OrderKey(field: Name(text: pick(Self.fields), span: 0..<0), descending: next(2) == 0) } }
                if next(2) == 0 { s.limit = next(100) }
                if next(3) == 0 { s.offset = next(100) }
                return .select(s)
            case 1:
                var c = CountStatement(target: target, condition: next(2) == 0 ? condition(0) : nil)
                c.by = (0..<next(3)).map { _ in Name(text: pick(Self.fields), span: 0..<0) }
                if next(2) == 0 { c.order = [OrderKey(field: Name(text: pick(Self.fields + ["count"]), span: 0..<0), descending: next(2) == 0)] }
                if next(2) == 0 { c.limit = next(100) }
                if next(3) == 0 { c.offset = next(100) }
                return .count(c)
            default:
                return .show(id: next(1000) + 1, span: 0..<0)
            }
        }
    }

    @Test func printedStatementsParseBackToTheSameTree() throws {
        var generator = Generator(state: 20241125)
        for _ in 0..<3000 {
            let statement = generator.statement()
            let text = statement.canonicalText
            var parser = try Parser(text)
            let parsed = try parser.statements()
            try #require(parsed.count == 1, "\(text)")
            #expect(parsed[0].0.withoutSpans == statement.withoutSpans, "\(text)")
        }
    }
}
