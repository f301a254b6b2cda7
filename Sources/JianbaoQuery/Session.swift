import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// The one input loop (STYLE.md habit 3): the shell, `-c`, `-f`, standard input, `.read` and
/// the golden tests all feed lines here; only prompts and history differ. Lines become
/// statements in `InputBuffer`, statements run in `StatementRunner`, and what is particular
/// to a terminal goes through `SessionTerminal`.
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
    /// A statement with `matches` stops after this many seconds when no `.timeout` is set.
    public static var matchesTimeout: Double { StatementRunner.matchesTimeout }
    /// The longest statement, in bytes (4 MiB; ROBUSTNESS.md).
    public static var maxStatementBytes: Int { InputBuffer.maxStatementBytes }

    /// The loaded corpus.
    public private(set) var corpus: Corpus
    public var mode: OutputMode
    /// Whether the mode was chosen (`-m`, `.mode`): then `.once out.csv` keeps it; otherwise
    /// the extension of a file results go to picks the mode for it.
    public var modeIsExplicit = false
    /// Headers, and the width and colour for results that go to standard output (the width is
    /// replaced by the terminal's at each statement when there is one).
    public var style: OutputStyle
    /// Stop at the first failing statement or command.
    public var bail: Bool
    /// Write each line before running it (`.echo on`).
    public var echo = false
    /// Print each statement's wall time (`.timer on`).
    public var timer = false
    /// Word lists leave out stopwords.txt (`.stopwords on|off`).
    public var stopwords = true
    /// `.timeout`: the longest a statement may run, in seconds; nil for no limit, except that a
    /// statement with `matches` stops after `matchesTimeout`.
    public var timeout: Double?
    /// `-D`, `.set` and script arguments.
    public var variables: Variables
    /// Standard output.
    public let stdout: Output
    /// Errors and notes go here.
    public let err: Output
    /// Whether any statement or command failed.
    public var failed: Bool { failureCount > 0 }
    /// How many statements and commands failed (a `.once` file is kept only when none did
    /// while its statement ran).
    private(set) var failureCount = 0
    /// The paths the corpus was loaded from (nil: the built-in sample), for `.reload`.
    public var corpusPaths: [String]?
    /// `--safe`/`.safe on`: commands, file output and reads outside the corpus are refused
    /// (SafeMode.swift). Once on, it stays on.
    public var safe = false {
        didSet { if oldValue { safe = true } }
    }
    /// The history file, which `.output` must not overwrite (nil outside the shell).
    public var historyFile: String?
    /// Encodings named for some of those paths (`--encoding`, `.load --encoding`), for `.reload`.
    public var corpusEncodings: [String: String] = [:]
    /// Where corpus snapshots are kept (docs/SNAPSHOT.md); nil reads and writes none
    /// (`--no-cache`, `JIANBAO_NO_CACHE=1`, and every session a test makes).
    public var cache: SnapshotCache?
    /// The terminal standard output goes to, when it is one (set by the executable).
    public var terminal: (any SessionTerminal)?
    /// Starts the commands `.output '|…'` and `.once '|…'` pipe results to; nil refuses them.
    public var commands: (any CommandLauncher)?

    /// `.output` target, until `.output off`.
    var redirect: Redirect?
    /// `.once` target, for the next statement only.
    var onceRedirect: Redirect?
    /// The scripts being read, outermost first: the real path (for the cycle check) and the
    /// path as written (for messages).
    var readStack: [(key: String, name: String)] = []
    /// Lines on their way to becoming statements.
    var input = InputBuffer()
    /// The outputs a result has been written to, for the byte order mark of `--bom`, which
    /// goes only at the start of a file.
    var startedOutputs: Set<ObjectIdentifier> = []
    /// Whether the note that jieba's dictionary is missing has been written.
    var notedMissingDictionary = false

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

    /// The style for where results go: a file or a command gets no cutting and no colour; the
    /// terminal gets its width as it is now.
    var currentStyle: OutputStyle {
        guard out === stdout else { return OutputStyle(headers: style.headers) }
        var current = style
        if let terminal { current.width = terminal.columns }
        return current
    }

    /// The mode for where results go now: the mode set, unless none was set explicitly and
    /// they go to a file whose extension names one (`.once out.csv`, `.output out.json`).
    var currentMode: OutputMode {
        guard !modeIsExplicit, let target = onceRedirect ?? redirect, let named = OutputMode(fileName: target.target) else { return mode }
        return named
    }

    /// Whether a statement is waiting for more lines.
    public var isContinuing: Bool { input.isContinuing }

    /// Takes one line of input (without its newline). A line holding newlines (a statement of
    /// several lines recalled from the shell's history) is taken line by line.
    public func feed(_ raw: String, origin: LineOrigin = LineOrigin(file: nil, line: 1)) throws(OutputClosed) -> Feed {
        guard raw.contains("\n") else { return try feedLine(raw, origin: origin) }
        var result = Feed.ready
        for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
            result = try feedLine(String(line), origin: origin)
            if case .stop = result { break }
        }
        return result
    }

    private func feedLine(_ raw: String, origin: LineOrigin) throws(OutputClosed) -> Feed {
        var line = raw
        if line.hasSuffix("\r") { line.removeLast() }
        // Echoed as written, before substitution, so a line whose variables fail is shown too.
        if echo { try? stdout.write(raw + "\n") }
        let (skip, closed) = input.opening(line)
        if skip { return .ready }
        if let (text, first) = closed, try run(text, origin: first) == .stop { return .stop }
        do {
            line = try variables.substitute(line)
        } catch {
            // The message stands for the whole statement, this line and any before it.
            report(error, in: line, origin: origin)
            input.discard()
            return bail ? .stop : .ready
        }
        switch input.take(line, origin: origin) {
        case .nothing: return .ready
        case .more: return .needMore
        case .meta(let command, let at):
            defer { settleTexts() }
            return try meta(command, origin: at)
        case .statement(let text, let at): return try run(text, origin: at)
        case .tooLong(let error, let text, let at):
            report(error, in: text, origin: at)
            return bail ? .stop : .ready
        }
    }

    /// The lines of the input last taken as they were written: once it is complete (not
    /// `isContinuing`), the shell's history entry for it.
    public var typedInput: String { input.typed.joined(separator: "\n") }

    /// Ends the input: a statement still open is run as it is (and fails if incomplete);
    /// output is flushed and redirects closed.
    public func finish() throws(OutputClosed) {
        try finishPendingStatement()
        settleSnapshotWrites()
        closeRedirects()
        try stdout.flush()
        try? err.flush()
    }

    /// Runs a statement left open at the end of one `-c` text.
    public func finishPendingStatement() throws(OutputClosed) {
        if let (text, origin) = input.remainder() { _ = try run(text, origin: origin) }
    }

    /// Drops a half-typed statement (Ctrl-C in the shell).
    public func discardPending() { input.discard() }

    /// Records a failure found outside a statement (a script that cannot be opened).
    public func markFailed() { failureCount += 1 }

    /// Replaces the corpus (`.load` appends through here).
    public func setCorpus(_ corpus: Corpus) {
        settleSnapshotWrites()
        self.corpus = corpus
    }

    /// Waits for the corpus's snapshot still being written in the background (a one-shot
    /// run's load writes it while the statements run) and says why it could not be, once.
    /// Before the run ends, before `.cache` looks at the folder, and before the corpus changes.
    public func settleSnapshotWrites() {
        for warning in corpus.finishSnapshotWrites() { note("jianbao: warning: " + warning) }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Forgets a stop for memory, which belongs to the statement it stopped. A Ctrl-C is not
    /// forgotten here but when the shell reads the next line (Shell): one pressed during an
    /// earlier command of the same line (a `.load` in a script being read) stops this one.
    func clearMemoryStop() {
        if Cancellation.stoppedForMemory { Cancellation.clearInterrupt() }
    }

    /// After a statement or command: the files whose texts it read from the file (docs/
    /// SNAPSHOT.md) and that had changed since the load are said, once each; and once every
    /// such text has been read, the texts are kept in the snapshot.
    private func settleTexts() {
        for report in FileText.takeReports() { note("warning: " + report) }
        corpus.keepTexts()
    }

    /// Runs one statement text (one or more statements) and reports its failure.
    func run(_ text: String, origin: LineOrigin) throws(OutputClosed) -> Feed {
        clearMemoryStop()
        let mode = currentMode
        var runner = StatementRunner(corpus: corpus, mode: mode, style: currentStyle, timeout: timeout,
                                     progress: terminal?.progress)
        runner.stopwords = stopwords
        let destination = out
        // After the statement's output has been shown.
        defer { settleTexts() }
        return try toScreen { target throws(OutputClosed) in
            do {
                // The byte order mark starts a csv file, once; never on a terminal.
                if mode == .csv, style.bom, !(destination === stdout && terminal != nil),
                   startedOutputs.insert(ObjectIdentifier(destination)).inserted {
                    try target.write("\u{FEFF}")
                }
                try runner.run(text, to: target, note: { found in
                    self.note(self.render(note: found, in: text, origin: origin))
                }, timed: { nanoseconds in
                    if self.timer { self.note("time: " + Self.milliseconds(nanoseconds) + " ms") }
                    self.noteMissingDictionary()
                })
                try target.flush()
                return .ready
            } catch let error as QueryError {
                try? target.flush()
                report(error, in: text, origin: origin)
                return bail ? .stop : .ready
            } catch let closed as OutputClosed where closed.outOfMemory {
                try? target.flush()
                report(QueryError(.outOfMemory, span: 0..<0), in: text, origin: origin)
                return bail ? .stop : .ready
            } catch let closed as OutputClosed {
                throw closed
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
    }

    /// Runs `body` writing to where results go now. On a terminal with a pager the results are
    /// gathered first and shown through the terminal (paged when tall). A `.once` target is
    /// closed afterwards; a command behind `.output '|…'` that stopped reading ends only its
    /// redirect.
    func toScreen(closingOnce: Bool = true, _ body: (Output) throws(OutputClosed) -> Feed) throws(OutputClosed) -> Feed {
        let gathering = terminal?.gathersOutput == true && out === stdout
        let target = gathering ? Output() : out
        defer { if gathering { terminal?.show(target.bytes) } }
        let failuresBefore = failureCount
        var result: Feed
        do {
            result = try body(target)
        } catch {
            if target === stdout { throw error }
            // A file that cannot be written, or a command that stopped reading: only its
            // redirect ends, and its close says what happened.
            let failure = !gathering && dropRedirect(target)
            result = failure && bail ? .stop : .ready
        }
        // A file under `.once` is put in place only when its statement succeeded.
        if closingOnce, closeOnce(discard: failureCount != failuresBefore), bail { result = .stop }
        return result
    }

    /// Nanoseconds as milliseconds with one decimal: `12.3`.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let tenths = nanoseconds / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// The real path of a file, for telling a script that reads itself from two scripts with the
/// same name.
func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

extension Session {
    /// Once per session, after the first segmentation without jieba's dictionary: words are
    /// cut less well (docs/WORDS.md "The dictionary").
    func noteMissingDictionary() {
        guard !notedMissingDictionary, corpus.words.isBuilt || corpus.words.hasSegmented,
              let message = WordIndex.missingDictionaryNote else { return }
        notedMissingDictionary = true
        note("note: " + message)
    }
}
