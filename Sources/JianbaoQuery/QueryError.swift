/// A statement that cannot run, with the byte span of the culprit in the statement text.
public struct QueryError: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case unexpectedCharacter(String)
        case unterminatedString
        case expected(String, found: String)
        case unknownStatement(String, suggestion: String?)
        case unknownTarget(String, suggestion: String?)
        case unknownField(target: String, field: String, suggestion: String?)
        case duplicateField(String)
        case trailing(String, suggestion: String?)
        case unknownMeta(String, suggestion: String?)
        case metaUsage(String)
        case noSuchArticle(Int, count: Int)
        case tooDeep(Int)
        case tooManyComparisons(Int)
        case textOperator(String, field: String, type: String)
        case orderingList(String, field: String)
        case numberAgainstText(String, field: String, value: String, hint: String?)
        case notANumber(field: String, value: String)
        case unitNotAllowed(field: String, value: String, unit: String)
        case unknownUnit(value: String, unit: String, suggestion: String?)
        case notADate(field: String, value: String)
        case badPattern(String)
        case patternTooComplex
        case interrupted
        case timedOut(Double, matches: Bool)
        case undefinedVariable(String)
        case metricKey(String, suggestion: String?)
        case unterminatedPattern
        case unknownFreqKind(String, suggestion: String?)
        case optionOutOfRange(String, ClosedRange<Int>)
        case repeatedOption(String)
        case emptyPattern
        case patternNotAllowed
        case statementTooLong(Int, limit: Int, skipping: Bool)
        case unterminatedQuote
        case outOfMemory
        /// Memory ran out during the work a statement needs before its rows (the first
        /// segmentation, figure extraction, kwic's batches).
        case outOfMemoryWorking
        case refusedInSafeMode(String)
        case trendKey(String, suggestion: String?)
        case unknownAggregate(String, suggestion: String?)
        case aggregateType(String, field: String, type: String)
        case groupByList(String)
        case notGrouped(String)
        case orderNotInSelect(String)
        case mixedBases(String, bases: [String])
        case emptySide(String)
        case countOrderKey(String, suggestion: String?)
        case metricKeyRepeated(String)
        /// SQL that Jianbao writes otherwise (`<>`, `like`, `between`, `is null`, `distinct`,
        /// `as`): what was typed, and what to write instead.
        case sqlHabit(String, instead: String)
        case unknownMode(String, suggestion: String?)
    }

    public var kind: Kind
    /// Byte offsets in the statement text; empty at the end of input.
    public var span: Range<Int>

    public init(_ kind: Kind, span: Range<Int>) {
        self.kind = kind
        self.span = span
    }

    /// The one place that words every message: short, lowercase, quoting what was typed.
    public var message: String {
        switch kind {
        case .unexpectedCharacter(let c):
            return "unexpected '\(c)'"
        case .unterminatedString:
            return "unterminated string; close it with the same quote"
        case .expected(let what, let found):
            return "expected \(what), found \(found)"
        case .unknownStatement(let word, let suggestion):
            return "unknown statement '\(word)'" + didYouMean(suggestion)
                + (suggestion == nil ? "; statements are " + Grammar.statementNames.joined(separator: ", ") : "")
        case .unknownTarget(let word, let suggestion):
            return "unknown target '\(Self.shown(word))'" + didYouMean(suggestion)
                + (suggestion == nil ? "; targets are " + Schema.targets.map(\.name).joined(separator: ", ") : "")
        case .unknownField(let target, let field, let suggestion):
            return "\(target) have no field '\(Self.shown(field))'" + didYouMean(suggestion)
        case .duplicateField(let field):
            return "field '\(Self.shown(field))' is named twice"
        case .trailing(let text, let suggestion):
            return "unexpected \(text) after the end of the statement" + didYouMean(suggestion)
        case .unknownMeta(let command, let suggestion):
            return "unknown command '\(Self.shown(command))'" + didYouMean(suggestion) + (suggestion == nil ? "; .help lists them" : "")
        case .metaUsage(let usage):
            return "usage: \(usage)"
        case .noSuchArticle(let id, let count):
            return count == 0 ? "no article \(id): nothing is loaded" : "no article \(id); ids run from 1 to \(count)"
        case .tooDeep(let limit):
            return "conditions nest deeper than \(limit) levels"
        case .tooManyComparisons(let limit):
            return "more than \(limit) comparisons in one condition; for a long list of values use 'field in (…)'"
        case .textOperator(let op, let field, let type):
            return "'\(op)' works on text; \(field) is \(article(type)) \(type)"
        case .orderingList(let op, let field):
            return "'\(op)' cannot order \(field), which holds a list; use =, !=, in, contains or matches"
        case .numberAgainstText(let op, let field, let value, let hint):
            return "\(field) is text and \(Self.shown(value)) is a number, so '\(op)' would compare them as text"
                + (hint.map { "; to compare dates write '\($0)'" } ?? "; text compares with =, contains, matches or in")
        case .notANumber(let field, let value):
            return "\(field) is a number; '\(Self.shown(value))' is not one"
        case .unitNotAllowed(let field, let value, let unit):
            return "\(field) is a plain number; drop the unit '\(Self.shown(unit))' from '\(Self.shown(value))'"
        case .unknownUnit(let value, let unit, let suggestion):
            return "no figure is counted in '\(unit)' (in '\(value)'): units are those of units.txt (.help figures)"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .notADate(let field, let value):
            return "\(field) is a date like 2024, 2024-03 or 2024-03-15; '\(Self.shown(value))' is not one"
        case .badPattern(let detail):
            return "invalid regular expression: \(detail)"
        case .patternTooComplex:
            return "regular expression too complex: it reached the backtracking limit (nested quantifiers such as (a+)+ are the usual cause)"
        case .interrupted:
            return "interrupted"
        case .timedOut(let seconds, let matches):
            return "stopped after \(Session.seconds(seconds)) s" + (matches
                ? ", the time limit for a statement with a regular expression; .timeout SECONDS sets another"
                : " (.timeout)")
        case .metricKey(let key, let suggestion):
            return "metric … by takes year, issue, section or subject (or two of them), not '\(Self.shown(key))'" + didYouMean(suggestion)
        case .unterminatedPattern:
            return "unterminated pattern; close it with '/' (write \\/ for a slash inside it)"
        case .unknownFreqKind(let kind, let suggestion):
            return "freq counts words, chars, bigrams, ngrams N, sources or metrics, not '\(Self.shown(kind))'" + didYouMean(suggestion)
        case .optionOutOfRange(let keyword, let range):
            return "\(keyword) takes a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .repeatedOption(let keyword):
            return "'\(keyword)' is given twice"
        case .emptyPattern:
            return "nothing to search for; give a word or a /pattern/ that can match text"
        case .patternNotAllowed:
            return "a /pattern/ is a value for 'matches' and 'kwic' only; quote it for a plain value"
        case .statementTooLong(let bytes, let limit, let skipping):
            return "statement of \(bytes) bytes; statements are limited to \(limit / (1 << 20)) MiB"
                + (skipping ? "; the rest of it is skipped up to the next statement" : "")
        case .refusedInSafeMode(let what):
            return "safe mode refuses \(what)"
        case .outOfMemory:
            return "out of memory: the result of this statement does not fit; narrow it with where or limit, or use a streaming mode (tsv, csv, jsonl)"
        case .outOfMemoryWorking:
            return "out of memory: the work this statement needs (segmenting words, extracting figures or searching) does not fit in the memory left; nothing was kept, and the corpus is as loaded (load fewer files to go further)"
        case .unterminatedQuote:
            return "unterminated quote; close it with the same quote"
        case .trendKey(let key, let suggestion):
            return "trend … by takes year, month, issue, section or source, not '\(key)'" + didYouMean(suggestion)
        case .unknownAggregate(let name, let suggestion):
            return "unknown aggregate '\(name)'" + didYouMean(suggestion) + (suggestion == nil ? "; aggregates are count, sum, avg, min and max" : "")
        case .aggregateType(let function, let field, let type):
            return function == "min" || function == "max"
                ? "\(function) needs a number, integer or date field; \(field) is \(article(type)) \(type)"
                : "\(function) needs a number or integer field; \(field) is \(article(type)) \(type)"
        case .groupByList(let field):
            return "cannot group by \(field), which holds a list; count … by \(field) credits each of its values"
        case .notGrouped(let field):
            return "\(field) is neither in the group by nor inside an aggregate; add it to the group by"
        case .orderNotInSelect(let label):
            return "order by \(label) needs \(label) in the select list"
        case .mixedBases(let label, let bases):
            return "\(label) would add amounts in different units (\(bases.joined(separator: ", "))); add base to the group by or the where (base = \(bases.contains("元") ? "元" : bases[0]))"
        case .emptySide(let side):
            return "\(side) selects no article with words; keywords compares two sets of articles"
        case .countOrderKey(let key, let suggestion):
            return "count … order by takes a by field or count, not '\(key)'" + didYouMean(suggestion)
        case .metricKeyRepeated(let key):
            return "'\(key)' is given twice; metric … by takes two different keys"
        case .sqlHabit(let typed, let instead):
            return "'\(typed)' is " + (typed.hasPrefix(".") ? "sqlite3's" : "SQL") + "; \(instead)"
        case .unknownMode(let mode, let suggestion):
            return "unknown mode '\(mode)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
                + "; modes are " + OutputMode.allCases.map(\.rawValue).joined(separator: ", ")
        case .undefinedVariable(let name):
            return "undefined variable '\(Self.shown(name))'; define it with -D \(Self.shown(name))=VALUE or .set \(Self.shown(name)) VALUE (write $$ for a literal $)"
        }
    }

    /// User text inside a message: control characters made visible and, past 60 columns, cut
    /// with `…` (a 100 KB unknown name is not echoed whole).
    static func shown(_ text: String) -> String {
        DisplayWidth.truncate(DisplayWidth.visible(String(text.prefix(200))), to: 60)
    }

    private func article(_ type: String) -> String { type == "integer" ? "an" : "a" }

    private func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Whether the error is at the end of the input, so more lines might complete the
    /// statement (the Lua REPL's test for "incomplete" rather than "wrong").
    public func isAtEnd(of text: String) -> Bool {
        span.lowerBound >= text.utf8.count
    }

    /// `error: …`, the statement line, and a caret under the culprit in display columns.
    /// `location` (e.g. `script.jbq:3:`) prefixes the first line when the statement came
    /// from a file.
    public func rendered(in text: String, location: String? = nil) -> String {
        Self.renderedDiagnostic("error", message, span: span, in: text, location: location)
    }

    /// `severity: message`, the statement line, and a caret under `span` in display columns.
    public static func renderedDiagnostic(_ severity: String, _ message: String, span: Range<Int>,
                                          in text: String, location: String? = nil) -> String {
        let bytes = Array(text.utf8)
        var start = min(span.lowerBound, bytes.count)
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        var end = min(max(span.upperBound, start), lineEnd)
        // A span may point inside a character (a pattern error's byte offset): widen it to
        // whole characters so that each part decodes.
        func isContinuation(_ i: Int) -> Bool { i < bytes.count && bytes[i] & 0xC0 == 0x80 }
        while start > lineStart, isContinuation(start) { start -= 1 }
        while end < lineEnd, isContinuation(end) { end += 1 }
        // Only so much around the culprit can be shown: measure no more than that of a line
        // of megabytes (cut at character starts; the window below adds the …).
        let reach = 8 * maxLineWidth
        if start - lineStart > reach {
            lineStart = start - reach
            while isContinuation(lineStart) { lineStart += 1 }
        }
        if lineEnd - end > reach {
            lineEnd = end + reach
            while lineEnd > end, isContinuation(lineEnd) { lineEnd -= 1 }
        }
        if end - start > reach {
            end = start + reach
            while end > start, isContinuation(end) { end -= 1 }
        }
        // Shown with control characters made visible; measured in display columns.
        func shown(_ from: Int, _ to: Int) -> String { DisplayWidth.visible(String(decoding: bytes[from..<to], as: UTF8.self)) }
        var before = shown(lineStart, start), culprit = shown(start, end), after = shown(end, lineEnd)
        // A long line is shown as a window around the culprit, cut with …, as psql does.
        let total = DisplayWidth.of(before) + DisplayWidth.of(culprit) + DisplayWidth.of(after)
        if total > maxLineWidth {
            culprit = DisplayWidth.truncate(culprit, to: maxLineWidth / 2)
            before = DisplayWidth.keepingEnd(before, width: maxLineWidth / 4)
            let room = maxLineWidth - DisplayWidth.of(before) - DisplayWidth.of(culprit)
            after = DisplayWidth.truncate(after, to: max(room, 1))
        }
        let width = max(1, DisplayWidth.of(culprit))
        let caret = String(repeating: " ", count: DisplayWidth.of(before)) + "^" + String(repeating: "~", count: width - 1)
        let prefix = location.map { "\($0) " } ?? ""
        return "\(prefix)\(severity): \(message)\n  \(before)\(culprit)\(after)\n  \(caret)"
    }

    /// Display columns of statement text shown under a message; longer lines are windowed.
    public static let maxLineWidth = 100
}

/// Edit-distance suggestions for "did you mean".
public enum Suggest {
    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    public static func nearest(_ word: String, in candidates: [String]) -> String? {
        let lower = Array(word.lowercased())
        let allowed = max(1, min(3, Array(word).count / 3 + 1))
        var best: (String, Int)?
        for candidate in candidates {
            // Bounded: only a distance under the best so far (and within what is allowed)
            // matters, so a long word against many names costs little (issue 18).
            guard let d = distance(lower, Array(candidate.lowercased()), atMost: min(allowed, (best?.1 ?? Int.max) - 1)) else { continue }
            best = (candidate, d)
        }
        guard let (name, d) = best else { return nil }
        return d > 0 ? name : nil
    }

    /// The distance when it is at most `bound`, else nil, found without the whole table:
    /// words whose lengths differ by more are skipped, and a row whose every cell is past
    /// the bound ends the search.
    public static func distance(_ a: [Character], _ b: [Character], atMost bound: Int) -> Int? {
        guard bound >= 0, abs(a.count - b.count) <= bound else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
                rowMin = min(rowMin, cur[j])
            }
            // A transposition reaches back two rows, so stop only when both are past it.
            if rowMin > bound, prev.min()! > bound { return nil }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count] <= bound ? prev[b.count] : nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    public static func distance(_ a: [Character], _ b: [Character]) -> Int {
        distance(a, b, atMost: max(a.count, b.count))!
    }
}
