import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

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

/// The one input loop (STYLE.md habit 3): the shell, `-c`, `-f`, standard input, `.read` and
/// the golden tests all feed lines here; only prompts and history differ.
public final class Session {
    public enum Feed {
        /// The line finished a statement (or was a meta command); ready for the next.
        case ready
        /// The statement goes on: the caller shows the continuation prompt.
        case needMore
        /// `.quit`/`.exit`, or an error with bail on: stop reading.
        case stop
    }

    /// `.read` nests at most this deep.
    public static let maxReadDepth = 16

    /// The loaded corpus.
    public private(set) var corpus: Corpus
    public var mode: OutputMode
    /// Headers, and the terminal's width and colour (used only while results go there).
    public var style: OutputStyle
    /// Stop at the first failing statement or command.
    public var bail: Bool
    /// Write each line before running it (`.echo on`).
    public var echo = false
    /// Print each statement's wall time (`.timer on`).
    public var timer = false
    /// `.timeout`: the longest a statement may run, in seconds; nil for no limit, except that a
    /// statement with `matches` stops after `matchesTimeout` (a pattern can backtrack for long).
    public var timeout: Double?
    public static let matchesTimeout = 60.0
    /// `-D`, `.set` and script arguments.
    public var variables: Variables
    /// Standard output.
    public let stdout: Output
    /// Errors and notes go here.
    public let err: Output
    /// Whether any statement or command failed.
    public private(set) var failed = false
    /// The paths the corpus was loaded from (nil: the built-in sample), for `.reload`.
    public var corpusPaths: [String]?
    /// Encodings named for some of those paths (`--encoding`, `.load --encoding`), for `.reload`.
    public var corpusEncodings: [String: String] = [:]
    /// The shell's history, for `.history` (nil outside the shell).
    public var historyProvider: (() -> [String])?
    /// Results taller than `rows()` lines go through this command (the shell's `$PAGER`).
    public var pager: (command: String, rows: () -> Int)?

    /// `.output` target, until `.output off`.
    var redirect: Redirect?
    /// `.once` target, for the next statement only.
    var onceRedirect: Redirect?
    /// The scripts being read, outermost first: the real path (for the cycle check) and the
    /// path as written (for messages).
    var readStack: [(key: String, name: String)] = []

    /// Lines of a statement that is not finished yet, and where its first line came from.
    var pending = PendingStatement()
    /// Whether the last pending line ended in `\` (then the next line always belongs to it).
    var pendingByBackslash = false
    var pendingOrigin = LineOrigin(file: nil, line: 1)
    /// After a statement refused for its length while still open: its remaining lines are
    /// dropped up to the next line that starts a statement or a meta command.
    var skippingRest = false

    public init(corpus: Corpus, mode: OutputMode, style: OutputStyle, bail: Bool,
                variables: Variables = Variables(), out: Output, err: Output) {
        self.corpus = corpus
        self.mode = mode
        self.style = style
        self.bail = bail
        self.variables = variables
        self.stdout = out
        self.err = err
    }

    /// Where results go now: `.once`, else `.output`, else standard output.
    public var out: Output { onceRedirect?.output ?? redirect?.output ?? stdout }

    /// The style for where results go: a file or a command gets no cutting and no colour.
    var currentStyle: OutputStyle {
        out === stdout ? style : OutputStyle(headers: style.headers)
    }

    /// The longest statement read, in bytes (4 MiB: `in (…)` lists of a few hundred thousand
    /// values fit; docs/ROBUSTNESS.md).
    public static let maxStatementBytes = 4 << 20

    /// Whether a statement is waiting for more lines.
    public var isContinuing: Bool { !pending.isEmpty }

    /// Takes one line of input (without its newline).
    public func feed(_ raw: String, origin: LineOrigin = LineOrigin(file: nil, line: 1)) throws(OutputClosed) -> Feed {
        var line = raw
        if line.hasSuffix("\r") { line.removeLast() }
        // Echoed as written, before substitution, so a line whose variables fail is shown too.
        if echo { try? stdout.write(raw + "\n") }
        if skippingRest {
            if !Self.startsStatement(line) { return .ready }
            skippingRest = false
        }
        // A statement left open by a quote or parenthesis does not swallow the next statement:
        // a line that starts one (a statement word or a meta command) runs what is pending
        // first, so one typo in a script costs one statement, not the rest of the file.
        if !pending.isEmpty, !pendingByBackslash, Self.startsStatement(line) {
            let text = pending.text
            pending.removeAll()
            if try run(text, origin: pendingOrigin) == .stop { return .stop }
        }
        do {
            line = try variables.substitute(line)
        } catch {
            // The message stands for the whole statement, this line and any before it.
            report(error, in: line, origin: origin)
            pending.removeAll()
            return bail ? .stop : .ready
        }
        if pending.isEmpty {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.isEmpty { return .ready }
            if trimmed.hasPrefix(".") { return try meta(trimmed, origin: origin) }
            pendingOrigin = origin
        }
        let continued = line.hasSuffix("\\")
        if continued { line.removeLast() }
        pendingByBackslash = continued
        pending.append(line)
        // A statement of megabytes is a mistake (a file read as a script, a runaway paste):
        // stop before lexing it again at every line.
        let bytes = pending.bytes
        if bytes > Self.maxStatementBytes {
            let text = pending.text
            skippingRest = continued || pending.isUnfinished
            pending.removeAll()
            pendingByBackslash = false
            report(QueryError(.statementTooLong(bytes, limit: Self.maxStatementBytes, skipping: skippingRest), span: 0..<0),
                   in: text, origin: pendingOrigin)
            return bail ? .stop : .ready
        }
        if continued { return .needMore }
        if pending.isUnfinished { return .needMore }
        let statementText = pending.text
        pending.removeAll()
        return try run(statementText, origin: pendingOrigin)
    }

    /// Ends the input: a statement still open is run as it is (and fails if incomplete);
    /// output is flushed and redirects closed.
    public func finish() throws(OutputClosed) {
        try finishPending()
        closeRedirects()
        try stdout.flush()
        try? err.flush()
    }

    /// Runs a statement left open at the end of one `-c` text.
    public func finishPendingStatement() throws(OutputClosed) { try finishPending() }

    func finishPending() throws(OutputClosed) {
        if !pending.isEmpty {
            let text = pending.text
            pending.removeAll()
            _ = try run(text, origin: pendingOrigin)
        }
    }

    /// Drops a half-typed statement (Ctrl-C in the shell).
    public func discardPending() { pending.removeAll() }

    /// Records a failure found outside a statement (a script that cannot be opened).
    public func markFailed() { failed = true }

    /// Replaces the corpus (`.load` appends through here).
    public func setCorpus(_ corpus: Corpus) { self.corpus = corpus }

    /// Whether a statement uses `matches` (then the default time limit applies).
    static func usesMatches(_ text: String) -> Bool {
        (try? Lexer(text).tokens())?.contains { $0.isKeyword("matches") } ?? false
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Whether a line begins a statement or is a meta command.
    static func startsStatement(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: " \t")
        if trimmed.hasPrefix(".") { return true }
        let word = trimmed.prefix { $0.isLetter }.lowercased()
        return Grammar.statementNames.contains(word)
    }

    func run(_ text: String, origin: LineOrigin) throws(OutputClosed) -> Feed {
        jb_interrupt_set(0)
        // On a terminal with a pager, results are gathered first and paged when tall.
        let paging = pager != nil && out === stdout
        let target = paging ? Output() : out
        defer {
            closeOnce()
            if paging { page(target) }
        }
        do {
            try execute(text, origin: origin, to: target)
            try target.flush()
            return .ready
        } catch let error as QueryError {
            try? target.flush()
            report(error, in: text, origin: origin)
            return bail ? .stop : .ready
        } catch let closed as OutputClosed {
            // A command behind `.output '|…'` that stopped reading ends only its redirect.
            if target === stdout { throw closed }
            dropRedirect(target)
            return .ready
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Parses all statements of `text` first (a syntax error anywhere runs none of them), then
    /// resolves and runs each in turn.
    private func execute(_ text: String, origin: LineOrigin, to target: Output) throws {
        var parser = try Parser(text)
        for (statement, _) in try parser.statements() {
            var resolver = Resolver(corpus: corpus)
            let plan = try resolver.resolve(statement)
            for note in resolver.notes {
                self.note(render(note: note, in: text, origin: origin))
            }
            var formatter = mode.makeFormatter(currentStyle)
            let started = Clock.now()
            let limit = timeout ?? (Self.usesMatches(text) ? Self.matchesTimeout : nil)
            // The clock is read only when there is a limit to check it against.
            let evaluator = limit.map { seconds in
                let deadline = started + UInt64(seconds * 1e9)
                return Evaluator(corpus: corpus, isInterrupted: { jb_interrupt_requested() != 0 || Clock.now() > deadline })
            } ?? Evaluator(corpus: corpus)
            do {
                try evaluator.run(plan, formatter: &formatter, to: target)
            } catch let error as QueryError where error.kind == .interrupted && jb_interrupt_requested() == 0 {
                throw QueryError(.timedOut(limit ?? 0, matches: timeout == nil), span: 0..<0)
            }
            try target.flush()
            if timer { note("time: " + Clock.milliseconds(since: started) + " ms") }
        }
    }

    // MARK: - Scripts

    /// Reads a script through this session: `-f`, `.read`. Its arguments are `$1`, `$2`, …
    /// while it runs. Returns `.stop` when it stopped the session (bail, `.quit`).
    public func read(script path: String, arguments: [String], origin: LineOrigin? = nil) throws(OutputClosed) -> Feed {
        let fail = { (message: String) -> Feed in
            self.note((origin.map { "\($0.file ?? "-"):\($0.line): " } ?? "") + "error: " + message)
            self.failed = true
            return self.bail ? .stop : .ready
        }
        guard readStack.count < Self.maxReadDepth else {
            return fail("scripts nest deeper than \(Self.maxReadDepth) levels (.read \(path))")
        }
        let reader: LineReader?
        let key: String
        if path == "-" {
            reader = LineReader(fd: 0)
            key = "-"
        } else {
            reader = LineReader(path: path)
            key = realPath(path) ?? path
        }
        guard let reader else { return fail("cannot open script \(path): \(systemError())") }
        if readStack.contains(where: { $0.key == key }) {
            return fail("script \(path) reads itself (\((readStack.map(\.name) + [path]).joined(separator: " → ")))")
        }
        readStack.append((key, path))
        variables.push(arguments)
        let saved = (pending, pendingOrigin)
        pending.removeAll()
        defer {
            readStack.removeLast()
            variables.pop()
            (pending, pendingOrigin) = saved
        }
        let name = path == "-" ? "<stdin>" : path
        var number = 0
        while let line = reader.next() {
            number += 1
            if case .stop = try feed(line, origin: LineOrigin(file: name, line: number)) { return .stop }
        }
        if !pending.isEmpty {
            let text = pending.text
            pending.removeAll()
            if case .stop = try run(text, origin: pendingOrigin) { return .stop }
        }
        return .ready
    }

    /// Shows gathered results: through the pager when taller than the screen, else directly.
    func page(_ gathered: Output) {
        guard let pager else { return }
        let bytes = gathered.bytes
        let lines = bytes.count { $0 == 0x0A }
        if lines >= max(1, pager.rows() - 1), case .success(let redirect) = Redirect.open("|" + pager.command) {
            _ = try? redirect.output.write(bytes: bytes)
            redirect.close()
            return
        }
        _ = try? stdout.write(bytes: bytes)
        try? stdout.flush()
    }

    // MARK: - Corpus

    /// `.load [--encoding NAME] PATH…`: adds to the corpus; existing article ids do not change.
    func load(_ paths: [String], encoding: String? = nil) {
        let started = Clock.now()
        let named = encoding.map { name in Dictionary(paths.map { ($0, name) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        corpusEncodings.merge(named) { _, new in new }
        let result = CorpusLoader.load(paths: paths, encodings: named)
        let errors = result.diagnostics.filter { $0.severity == .error }
        for d in errors { note(d.description) }
        if !errors.isEmpty { failed = true }
        var updated = corpus
        let before = (corpus.issues.count, corpus.articleCount)
        updated.append(result)
        corpus = updated
        corpusPaths = (corpusPaths ?? []) + paths
        let warnings = result.diagnostics.count { $0.severity == .warning }
        note("loaded \(counted(corpus.issues.count - before.0, "issue")), \(counted(corpus.articleCount - before.1, "article")) in "
             + Clock.milliseconds(since: started) + " ms" + (warnings > 0 ? "; \(counted(warnings, "warning")) (.check)" : ""))
    }

    /// `.reload`: reads everything again from where it came from.
    func reload() {
        let started = Clock.now()
        let result = corpusPaths.map { CorpusLoader.load(paths: $0, encodings: corpusEncodings) } ?? CorpusLoader.load(documents: SampleCorpus.documents)
        for d in result.diagnostics where d.severity == .error { note(d.description) }
        corpus = Corpus(result)
        note("reloaded \(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article")) in "
             + Clock.milliseconds(since: started) + " ms")
    }

    // MARK: - Output targets

    func openRedirect(_ target: String, once: Bool) -> String? {
        switch Redirect.open(target) {
        case .failure(let error):
            return error.message
        case .success(let redirect):
            if once {
                onceRedirect?.close()
                onceRedirect = redirect
            } else {
                self.redirect?.close()
                self.redirect = redirect
            }
            return nil
        }
    }

    func closeOnce() {
        onceRedirect?.close()
        onceRedirect = nil
    }

    func closeRedirects() {
        closeOnce()
        redirect?.close()
        redirect = nil
    }

    func dropRedirect(_ output: Output) {
        if onceRedirect?.output === output { closeOnce() }
        if redirect?.output === output {
            redirect?.close()
            redirect = nil
        }
    }

    // MARK: - Messages

    /// Writes an error with its place: `script.jbq:LINE:COL:` for scripts.
    func report(_ error: QueryError, in text: String, origin: LineOrigin) {
        failed = true
        if error.kind == .interrupted {
            note("interrupted")
            return
        }
        note(error.rendered(in: text, location: location(of: error.span, in: text, origin: origin)))
    }

    func render(note: QueryNote, in text: String, origin: LineOrigin) -> String {
        QueryError.renderedDiagnostic("note", note.message, span: note.span, in: text,
                                      location: location(of: note.span, in: text, origin: origin))
    }

    /// `file:line:col:` for a span of a statement read from a script, else nil.
    func location(of span: Range<Int>, in text: String, origin: LineOrigin) -> String? {
        guard let file = origin.file else { return nil }
        let bytes = Array(text.utf8)
        let at = min(span.lowerBound, bytes.count)
        var line = origin.line, lineStart = 0
        for i in 0..<at where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        let column = String(decoding: bytes[lineStart..<at], as: UTF8.self).unicodeScalars.count + 1
        return "\(file):\(line):\(column):"
    }

    /// Writes a line to the error output.
    public func note(_ text: String) {
        try? err.write(text + "\n")
        try? err.flush()
    }
}

/// The real path of a file, for telling a script that reads itself from two scripts with the
/// same name.
func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// The `.corpus` summary and the shell's banner line.
public enum CorpusSummary {
    public static func text(_ corpus: Corpus) -> String {
        let sections = corpus.sectionCount
        let paragraphs = corpus.issues.reduce(0) { total, issue in issue.articles.reduce(total) { $0 + Int($1.paragraphCount) } }
        let bytes = corpus.issues.reduce(0) { $0 + $1.text.count }
        let dates = corpus.issues.compactMap(\.date).sorted()
        var text = [counted(corpus.issues.count, "issue"), counted(sections, "section"), counted(corpus.articleCount, "article"),
                    counted(paragraphs, "paragraph"), counted(bytes, "byte")].joined(separator: ", ") + "\n"
        if let first = dates.first, let last = dates.last { text += "dates \(first) to \(last)\n" }
        text += "\(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning")) (.check lists them)\n"
        return text
    }
}
