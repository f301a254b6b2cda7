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
            return "unknown target '\(word)'" + didYouMean(suggestion)
                + (suggestion == nil ? "; targets are " + Schema.targets.map(\.name).joined(separator: ", ") : "")
        case .unknownField(let target, let field, let suggestion):
            return "\(target) have no field '\(field)'" + didYouMean(suggestion)
        case .duplicateField(let field):
            return "field '\(field)' is named twice"
        case .trailing(let text, let suggestion):
            return "unexpected \(text) after the end of the statement" + didYouMean(suggestion)
        case .unknownMeta(let command, let suggestion):
            return "unknown command '\(command)'" + didYouMean(suggestion) + (suggestion == nil ? "; .help lists them" : "")
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
            return "\(field) is text and \(value) is a number, so '\(op)' would compare them as text"
                + (hint.map { "; to compare dates write '\($0)'" } ?? "; text compares with =, contains, matches or in")
        case .notANumber(let field, let value):
            return "\(field) is a number; '\(value)' is not one"
        case .unitNotAllowed(let field, let value, let unit):
            return "\(field) is a plain number; drop the unit '\(unit)' from '\(value)'"
        case .notADate(let field, let value):
            return "\(field) is a date like 2024, 2024-03 or 2024-03-15; '\(value)' is not one"
        case .badPattern(let detail):
            return "invalid regular expression: \(detail)"
        case .patternTooComplex:
            return "regular expression too complex: it reached the backtracking limit (nested quantifiers such as (a+)+ are the usual cause)"
        case .interrupted:
            return "interrupted"
        case .timedOut(let seconds, let matches):
            return "stopped after \(Session.seconds(seconds)) s" + (matches
                ? ", the time limit for a statement with matches; .timeout SECONDS sets another"
                : " (.timeout)")
        case .metricKey(let key, let suggestion):
            return "metric … by takes year, issue, section or subject, not '\(key)'" + didYouMean(suggestion)
        case .unterminatedPattern:
            return "unterminated pattern; close it with '/' (write \\/ for a slash inside it)"
        case .unknownFreqKind(let kind, let suggestion):
            return "freq counts words, chars, bigrams, sources or metrics, not '\(kind)'" + didYouMean(suggestion)
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
        case .sqlHabit(let typed, let instead):
            return "'\(typed)' is " + (typed.hasPrefix(".") ? "sqlite3's" : "SQL") + "; \(instead)"
        case .unknownMode(let mode, let suggestion):
            return "unknown mode '\(mode)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
                + "; modes are " + OutputMode.allCases.map(\.rawValue).joined(separator: ", ")
        case .undefinedVariable(let name):
            return "undefined variable '\(name)'; define it with -D \(name)=VALUE or .set \(name) VALUE (write $$ for a literal $)"
        }
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
        let lower = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(Array(lower), Array(candidate.lowercased()))
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        guard let (name, d) = best else { return nil }
        let allowed = max(1, min(3, Array(word).count / 3 + 1))
        return d <= allowed && d > 0 ? name : nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    public static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
