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
    /// statement with `matches` or `kwic /regex/` stops after `matchesTimeout` (a pattern can
    /// backtrack for long).
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
    /// The history file, which `.output` must not overwrite (nil outside the shell).
    public var historyFile: String?
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

    /// Whether a statement uses a regular expression, `matches` or `kwic /…/` (then the
    /// default time limit applies: a pattern can backtrack for long either way).
    static func usesMatches(_ text: String) -> Bool {
        (try? Lexer(text).tokens())?.contains {
            if case .pattern = $0.kind { return true }
            return $0.isKeyword("matches")
        } ?? false
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
        defer { if paging { page(target) } }
        var succeeded = false
        do {
            try execute(text, origin: origin, to: target)
            try target.flush()
            succeeded = true
        } catch let error as QueryError {
            try? target.flush()
            report(error, in: text, origin: origin)
        } catch let closed as OutputClosed {
            // A command behind `.output '|…'` that stopped reading, or a file that cannot be
            // written, ends only its redirect; its close says what happened.
            if target === stdout { throw closed }
            succeeded = !dropRedirect(target)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        // A file under `.once` is put in place only when its statement succeeded.
        if closeOnce(discard: !succeeded) {
            failed = true
            succeeded = false
        }
        return succeeded || !bail ? .ready : .stop
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
                let deadline = Clock.deadline(after: seconds, from: started)
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
        var st = stat()
        if path != "-", stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            return fail("cannot read script \(path): it is a folder")
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
        while let line = reader.nextLine() {
            number += 1
            switch line {
            case .text(let text):
                if case .stop = try feed(text, origin: LineOrigin(file: name, line: number)) { return .stop }
            case .tooLong(let bytes, let head, let endless):
                // Refused while reading: memory stays within the limit (`-f /dev/zero`).
                pending.removeAll()
                report(QueryError(.statementTooLong(bytes, limit: Self.maxStatementBytes, skipping: false), span: 0..<0),
                       in: head, origin: LineOrigin(file: name, line: number))
                if endless {
                    note("\(name):\(number): error: no end of line in \(reader.maxSkipBytes >> 20) MiB; stopped reading \(name)")
                    return bail ? .stop : .ready
                }
                if bail { return .stop }
            }
        }
        if let failure = reader.failure {
            return fail("cannot read \(name): \(failure)")
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
            _ = redirect.close()
            return
        }
        _ = try? stdout.write(bytes: bytes)
        try? stdout.flush()
    }

    // MARK: - Corpus

    /// `.load PATH…`: adds to the corpus; existing article ids do not change.
    func load(_ paths: [String]) {
        let started = Clock.now()
        let result = CorpusLoader.load(paths: paths)
        let errors = result.diagnostics.filter { $0.severity == .error }
        for d in errors { note(d.description) }
        if !errors.isEmpty { failed = true }
        var updated = corpus
        let before = (corpus.issues.count, corpus.articleCount)
        updated.append(result)
        corpus = updated
        corpusPaths = (corpusPaths ?? []) + paths
        let warnings = result.diagnostics.count - errors.count
        note("loaded \(counted(corpus.issues.count - before.0, "issue")), \(counted(corpus.articleCount - before.1, "article")) in "
             + Clock.milliseconds(since: started) + " ms" + (warnings > 0 ? "; \(counted(warnings, "warning")) (.check)" : ""))
    }

    /// `.reload`: reads everything again from where it came from.
    func reload() {
        let started = Clock.now()
        let result = corpusPaths.map { CorpusLoader.load(paths: $0) } ?? CorpusLoader.load(documents: SampleCorpus.documents)
        for d in result.diagnostics where d.severity == .error { note(d.description) }
        corpus = Corpus(result)
        note("reloaded \(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article")) in "
             + Clock.milliseconds(since: started) + " ms")
    }

    // MARK: - Output targets

    func openRedirect(_ target: String, once: Bool) -> String? {
        switch Redirect.open(target, guarded: guarded) {
        case .failure(let error):
            return error.message
        case .success(let redirect):
            if once {
                closeOnce()
                onceRedirect = redirect
            } else {
                if end(self.redirect) { failed = true }
                self.redirect = redirect
            }
            return nil
        }
    }

    /// Why a file may not be written by `.output`/`.once`: it is loaded, a script being read,
    /// or the history file; nil when it may.
    func guarded(_ file: FileIdentity) -> String? {
        if corpus.files.contains(file) { return "a loaded corpus file" }
        if readStack.contains(where: { FileIdentity(path: $0.key) == file }) { return "a script being run" }
        if let history = historyFile, FileIdentity(path: history) == file { return "the history file" }
        return nil
    }

    /// Ends a redirection and says what went wrong, if anything; true for a failure.
    func end(_ redirect: Redirect?, discard: Bool = false) -> Bool {
        switch redirect?.close(discard: discard) ?? .done {
        case .done: return false
        case .note(let message): note("note: " + message); return false
        case .failed(let message): note("error: " + message); return true
        }
    }

    /// Ends `.once`; true when that failed.
    @discardableResult
    func closeOnce(discard: Bool = false) -> Bool {
        defer { onceRedirect = nil }
        return end(onceRedirect, discard: discard)
    }

    /// Ends every redirection (standard output failed: files under way are still finished).
    public func closeAllRedirects() { closeRedirects() }

    func closeRedirects() {
        if closeOnce() { failed = true }
        if end(redirect) { failed = true }
        redirect = nil
    }

    /// Ends the redirection `output` belongs to after a failed write; true when that was a
    /// failure (not a reader that stopped).
    func dropRedirect(_ output: Output) -> Bool {
        var failure = false
        if onceRedirect?.output === output { failure = closeOnce() }
        if redirect?.output === output {
            failure = end(redirect) || failure
            redirect = nil
        }
        if failure { failed = true }
        return failure
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
