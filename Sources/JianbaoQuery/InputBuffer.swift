/// Where a line came from, for `file:line:col:` in error messages.
public struct LineOrigin: Sendable {
    /// Script path (`<stdin>` for standard input), or nil for `-c` and the interactive shell.
    public var file: String?
    /// 1-based line number in that file.
    public var line: Int

    public init(file: String?, line: Int) {
        self.file = file
        self.line = line
    }
}

/// Turns lines into complete statements and remembers where each began (sqlite3's
/// `process_input` with `line_is_complete`). The shell, scripts, `-c` and standard input all
/// go through one of these; the shell differs only in prompt and history.
///
/// A line is taken in two steps, because variables are substituted in between: `opening`
/// sees the line as written (a line that starts a statement closes one left open by a quote
/// or parenthesis), `take` sees it substituted.
struct InputBuffer {
    /// What a line completed.
    enum Step {
        /// Nothing to run (an empty line, or a line of a statement being skipped).
        case nothing
        /// The statement goes on: the caller shows the continuation prompt.
        case more
        /// A whole statement, with where its first line came from.
        case statement(String, LineOrigin)
        /// A meta command line (always one line).
        case meta(String, LineOrigin)
        /// The statement grew past `maxStatementBytes` and was dropped.
        case tooLong(QueryError, String, LineOrigin)
    }

    /// The longest statement read, in bytes (4 MiB: `in (…)` lists of a few hundred thousand
    /// values fit; docs/ROBUSTNESS.md).
    static let maxStatementBytes = 4 << 20

    /// Lines of a statement that is not finished yet.
    private var pending = PendingStatement()
    /// Whether the last pending line ended in `\` (then the next line always belongs to it).
    private var byBackslash = false
    /// Where the pending statement's first line came from.
    private var origin = LineOrigin(file: nil, line: 1)
    /// After a statement refused for its length while still open: its remaining lines are
    /// dropped up to the next line that starts a statement or a meta command.
    private var skippingRest = false
    /// The lines as written of the input being taken (reset as the next one begins), for the
    /// shell's history: a statement of several lines is one entry.
    private(set) var typed: [String] = []

    /// Whether a statement is waiting for more lines.
    var isContinuing: Bool { !pending.isEmpty }

    /// First step for a line as written: whether to skip it (rest of a refused statement), and
    /// the open statement it closes by starting a new one. A statement left open by a quote
    /// or parenthesis does not swallow the next statement, so one typo in a script costs one
    /// statement, not the rest of the file.
    mutating func opening(_ line: String) -> (skip: Bool, closed: (String, LineOrigin)?) {
        if pending.isEmpty { typed.removeAll(keepingCapacity: true) }
        typed.append(line)
        if skippingRest {
            if !Self.startsStatement(line) { return (true, nil) }
            skippingRest = false
        }
        guard !pending.isEmpty, !byBackslash, Self.startsStatement(line) else { return (false, nil) }
        let closed = (pending.text, origin)
        pending.removeAll()
        return (false, closed)
    }

    /// Second step, for the line with its variables substituted.
    mutating func take(_ substituted: String, origin lineOrigin: LineOrigin) -> Step {
        var line = substituted
        if pending.isEmpty {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.isEmpty { return .nothing }
            if trimmed.hasPrefix(".") { return .meta(trimmed, lineOrigin) }
            origin = lineOrigin
        }
        let continued = line.hasSuffix("\\")
        if continued { line.removeLast() }
        byBackslash = continued
        pending.append(line)
        // A statement of megabytes is a mistake (a file read as a script, a runaway paste):
        // stop before lexing it again at every line.
        let bytes = pending.bytes
        if bytes > Self.maxStatementBytes {
            let text = pending.text
            skippingRest = continued || pending.isUnfinished
            pending.removeAll()
            byBackslash = false
            return .tooLong(QueryError(.statementTooLong(bytes, limit: Self.maxStatementBytes, skipping: skippingRest), span: 0..<0),
                            text, origin)
        }
        if continued || pending.isUnfinished { return .more }
        let text = pending.text
        pending.removeAll()
        return .statement(text, origin)
    }

    /// The open statement, taken out (end of input, end of a `-c` text).
    mutating func remainder() -> (String, LineOrigin)? {
        guard !pending.isEmpty else { return nil }
        let open = (pending.text, origin)
        pending.removeAll()
        byBackslash = false
        return open
    }

    /// Drops the open statement (Ctrl-C, a line whose variables fail).
    mutating func discard() {
        pending.removeAll()
        byBackslash = false
        skippingRest = false
    }

    /// Whether a line begins a statement or is a meta command.
    static func startsStatement(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: " \t")
        if trimmed.hasPrefix(".") { return true }
        let word = trimmed.prefix { $0.isLetter }.lowercased()
        return Grammar.statementNames.contains(word)
    }
}
