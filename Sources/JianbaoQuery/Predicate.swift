import JianbaoCorpus
import CBytes
import CRegex

/// A condition after resolution: every field known, every value parsed to the field's type.
/// `!=` and `not in` are written as `not` around the positive test.
public indirect enum Predicate: Sendable {
    case and(Predicate, Predicate)
    case or(Predicate, Predicate)
    case not(Predicate)
    /// A test of one field; `span` is the value's place, for errors found while running.
    case test(FieldSpec, Test, span: Range<Int>)
}

/// What a leaf of a predicate checks. For list fields a test holds when any element passes.
public enum Test: Sendable {
    /// Equal to any of these texts (`=`, `in`).
    case textIn([String])
    /// Ordered against a text by Unicode scalar values.
    case textOrder(Comparison, String)
    /// Contains these bytes (UTF-8).
    case textContains([UInt8])
    /// A regular expression search.
    case textMatches(Regex)
    /// Equal to any of these numbers.
    case numberIn([Double])
    case numberOrder(Comparison, Double)
    /// Within any of these dates, by prefix (`date = 2024` holds for 2024-03-15).
    case dateIn([BulletinDate])
    /// Ordered against a date at the precision both share (see docs/LANGUAGE.md).
    case dateOrder(Comparison, BulletinDate)
}

/// A compiled regular expression (PCRE2, UTF-8, Unicode properties), shared read-only across
/// the threads that evaluate a statement.
public final class Regex: @unchecked Sendable {
    let handle: OpaquePointer
    /// The pattern as written.
    public let pattern: String
    /// A literal every match contains, searched with memmem before the engine runs.
    public let requiredLiteral: [UInt8]?

    /// Failure of one search: the backtracking limit was reached.
    public struct LimitReached: Error {}

    /// Compiles `pattern`; on error, the message and the byte offset of the problem.
    public init(_ pattern: String) throws(RegexSyntaxError) {
        var error = [CChar](repeating: 0, count: 256)
        var offset = 0
        let bytes = Array(pattern.utf8)
        guard let handle = bytes.withUnsafeBufferPointer({ p in
            jb_regex_compile(p.baseAddress, p.count, 0, &error, error.count, &offset)
        }) else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RegexSyntaxError(message: message, offset: offset)
        }
        self.handle = handle
        self.pattern = pattern
        requiredLiteral = Self.requiredLiteral(of: pattern)
    }

    deinit { jb_regex_free(handle) }

    /// The first match in `bytes[start..<end]`, as offsets into `bytes`. `verifying`: the bytes
    /// may not be UTF-8 — a text mapped from a snapshot (`IssueText.isMapped`), whose bytes no
    /// checksum covers — so the subject is checked first, and one that is not matches nothing
    /// (PCRE2 is told not to check: the texts the reader makes are UTF-8).
    public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, verifying: Bool) throws(LimitReached) -> Range<Int>? {
        guard let base = bytes.baseAddress, end >= start else { return nil }
        var s = 0, e = 0
        let rc = jb_regex_search(handle, base + start, end - start, 0, verifying ? 1 : 0, &s, &e)
        switch rc {
        case 1: return (start + s)..<(start + e)
        case 0: return nil
        default: throw LimitReached()
        }
    }

    /// The first match that starts at or after `from` in the subject `bytes[start..<end]`
    /// (so that `^` and lookbehind see the whole subject), as offsets into `bytes`. The
    /// subject is checked (`verifying`) by the search with `from` at its start: go through a
    /// subject from there (jb_regex_search).
    public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, from: Int, verifying: Bool) throws(LimitReached) -> Range<Int>? {
        guard let base = bytes.baseAddress, end >= from, from >= start else { return nil }
        var s = 0, e = 0
        let rc = jb_regex_search(handle, base + start, end - start, from - start, verifying ? 1 : 0, &s, &e)
        switch rc {
        case 1: return (start + s)..<(start + e)
        case 0: return nil
        default: throw LimitReached()
        }
    }

    /// Whether `bytes[start..<end]` holds a match, trying the literal prefilter first.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, verifying: Bool) throws(LimitReached) -> Bool {
        if let literal = requiredLiteral, let base = bytes.baseAddress {
            let found = literal.withUnsafeBufferPointer { l in jb_find(base + start, end - start, l.baseAddress, l.count) }
            if found < 0 { return false }
        }
        return try firstMatch(in: bytes, start, end, verifying: verifying) != nil
    }

    public func matches(_ text: String) throws(LimitReached) -> Bool {
        var text = text
        var result: Result<Bool, LimitReached> = .success(false)
        text.withUTF8 { p in
            // A String is UTF-8.
            do throws(LimitReached) { result = .success(try matches(p, 0, p.count, verifying: false)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// The longest run of characters every match must contain, found by a conservative scan:
    /// outside groups only, none with a top-level `|` or inline flags; a character made
    /// optional by `?`, `*` or `{` is dropped and ends the run.
    static func requiredLiteral(of pattern: String) -> [UInt8]? {
        let s = Array(pattern.unicodeScalars)
        if pattern.contains("(?") { return nil }
        var best: [Unicode.Scalar] = [], run: [Unicode.Scalar] = []
        var depth = 0, i = 0
        var lastWasLiteral = false
        func endRun() {
            if run.count > best.count { best = run }
            run = []
        }
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                guard i + 1 < s.count else { return nil }
                let n = s[i + 1]
                if n.properties.isAlphabetic || ("0"..."9").contains(n) {
                    endRun(); lastWasLiteral = false
                    i += 2
                    if (n == "p" || n == "P" || n == "x"), i < s.count, s[i] == "{" {
                        while i < s.count, s[i] != "}" { i += 1 }
                        i += 1
                    }
                    continue
                }
                if depth == 0 { run.append(n); lastWasLiteral = true } else { lastWasLiteral = false }
                i += 2
                continue
            case "[":
                endRun(); lastWasLiteral = false
                i += 1
                if i < s.count, s[i] == "]" { i += 1 }
                while i < s.count, s[i] != "]" { i += s[i] == "\\" ? 2 : 1 }
            case "(":
                endRun(); lastWasLiteral = false; depth += 1
            case ")":
                endRun(); lastWasLiteral = false; depth -= 1
            case "|":
                if depth == 0 { return nil }
                endRun(); lastWasLiteral = false
            case ".", "^", "$":
                endRun(); lastWasLiteral = false
            case "?", "*", "{":
                if lastWasLiteral, !run.isEmpty { run.removeLast() }
                endRun(); lastWasLiteral = false
                if c == "{" { while i < s.count, s[i] != "}" { i += 1 } }
            case "+":
                endRun(); lastWasLiteral = false
            default:
                if depth == 0 { run.append(c); lastWasLiteral = true } else { lastWasLiteral = false }
            }
            i += 1
        }
        endRun()
        guard !best.isEmpty else { return nil }
        return Array(String(String.UnicodeScalarView(best)).utf8)
    }
}

/// A pattern PCRE2 would not compile.
public struct RegexSyntaxError: Error {
    public var message: String
    /// Byte offset in the pattern.
    public var offset: Int
}
