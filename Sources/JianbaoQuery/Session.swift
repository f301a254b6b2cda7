import JianbaoCorpus
import CBytes

/// Where a line came from, for `file:line:col:` in error messages.
public struct LineOrigin: Sendable {
    /// Script path, or nil for `-c` and the interactive shell.
    public var file: String?
    /// 1-based line number in that file.
    public var line: Int

    public init(file: String?, line: Int) {
        self.file = file
        self.line = line
    }
}

/// The one input loop (STYLE.md habit 3): the shell, `-c`, `-f`, standard input and the
/// golden tests all feed lines here; only prompts and history differ.
public final class Session {
    public enum Feed {
        /// The line finished a statement (or was a meta command); ready for the next.
        case ready
        /// The statement goes on: the caller shows the continuation prompt.
        case needMore
        /// `.quit`/`.exit`, or an error with bail on: stop reading.
        case stop
    }

    /// The loaded corpus.
    public private(set) var corpus: Corpus
    public var mode: OutputMode
    public var headers: Bool
    /// Stop at the first failing statement.
    public var bail: Bool
    /// Results go here.
    public let out: Output
    /// Errors and notes go here.
    public let err: Output
    /// Print each statement's wall time (`.timer on`).
    public var timer = false
    /// Whether any statement or command failed.
    public private(set) var failed = false

    /// Lines of a statement that is not finished yet, and where its first line came from.
    var pending: [String] = []
    var pendingOrigin = LineOrigin(file: nil, line: 1)

    public init(corpus: Corpus, mode: OutputMode, headers: Bool, bail: Bool, out: Output, err: Output) {
        self.corpus = corpus
        self.mode = mode
        self.headers = headers
        self.bail = bail
        self.out = out
        self.err = err
    }

    /// Whether a statement is waiting for more lines.
    public var isContinuing: Bool { !pending.isEmpty }

    /// Takes one line of input (without its newline).
    public func feed(_ line: String, origin: LineOrigin = LineOrigin(file: nil, line: 1)) throws(OutputClosed) -> Feed {
        if pending.isEmpty {
            let trimmed = line.trimmingCharacters(in: " \t\r")
            if trimmed.isEmpty { return .ready }
            if trimmed.hasPrefix(".") { return try meta(trimmed, origin: origin) }
            pendingOrigin = origin
        }
        var text = line
        if text.hasSuffix("\r") { text.removeLast() }
        let continued = text.hasSuffix("\\")
        if continued { text.removeLast() }
        pending.append(text)
        if continued { return .needMore }
        let statementText = pending.joined(separator: "\n")
        if isUnfinished(statementText) { return .needMore }
        pending = []
        return try run(statementText, origin: pendingOrigin)
    }

    /// Ends the input: a statement still open is run as it is (and fails if incomplete).
    public func finish() throws(OutputClosed) {
        if !pending.isEmpty {
            let text = pending.joined(separator: "\n")
            pending = []
            _ = try run(text, origin: pendingOrigin)
        }
        try out.flush()
        try? err.flush()
    }

    /// Drops a half-typed statement (Ctrl-C in the shell).
    public func discardPending() { pending = [] }

    /// An open quote or parenthesis at the end means the statement goes on.
    func isUnfinished(_ text: String) -> Bool {
        do {
            var depth = 0
            for token in try Lexer(text).tokens() {
                if token.isSymbol("(") { depth += 1 }
                if token.isSymbol(")") { depth -= 1 }
            }
            return depth > 0
        } catch {
            return error.kind == .unterminatedString
        }
    }

    func run(_ text: String, origin: LineOrigin) throws(OutputClosed) -> Feed {
        jb_interrupt_set(0)
        do {
            try execute(text, origin: origin)
            try out.flush()
            return .ready
        } catch let error as QueryError {
            try out.flush()
            report(error, in: text, origin: origin)
            return bail ? .stop : .ready
        } catch let closed as OutputClosed {
            throw closed
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Parses all statements of `text` first (a syntax error anywhere runs none of them), then
    /// resolves and runs each in turn.
    private func execute(_ text: String, origin: LineOrigin) throws {
        var parser = try Parser(text)
        for (statement, _) in try parser.statements() {
            var resolver = Resolver(corpus: corpus)
            let plan = try resolver.resolve(statement)
            for note in resolver.notes {
                self.note(render(note: note, in: text, origin: origin))
            }
            var formatter = mode.makeFormatter(headers: headers)
            let started = Clock.now()
            try Evaluator(corpus: corpus).run(plan, formatter: &formatter, to: out)
            try out.flush()
            if timer { note("time: " + Clock.milliseconds(since: started) + " ms") }
        }
    }

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

    /// Records a failure found outside a statement (a script that cannot be opened).
    public func markFailed() { failed = true }

    /// Replaces the corpus (the driver loads it; `.load` will append).
    public func setCorpus(_ corpus: Corpus) { self.corpus = corpus }

    func meta(_ line: String, origin: LineOrigin) throws(OutputClosed) -> Feed {
        let words = line.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let name = words.first ?? ""
        let args = Array(words.dropFirst())
        guard let command = MetaCommands.named(name) else {
            let error = QueryError(.unknownMeta("." + name, suggestion: Suggest.nearest(name, in: MetaCommands.all.map(\.name)).map { "." + $0 }),
                                   span: 0..<(name.utf8.count + 1))
            report(error, in: line, origin: origin)
            return bail ? .stop : .ready
        }
        func usage() -> Feed {
            report(QueryError(.metaUsage(".\(command.name) \(command.arguments)"), span: 0..<line.utf8.count), in: line, origin: origin)
            return bail ? .stop : .ready
        }
        switch command.name {
        case "quit", "exit":
            return .stop
        case "help":
            try out.write(HelpText.overview())
        case "fields":
            if let name = args.first {
                guard let spec = Schema.target(named: name) else {
                    report(QueryError(.unknownTarget(name, suggestion: Suggest.nearest(name, in: Schema.targets.map(\.name))),
                                      span: (line.utf8.count - name.utf8.count)..<line.utf8.count), in: line, origin: origin)
                    return bail ? .stop : .ready
                }
                try out.write(HelpText.fields(of: spec))
            } else {
                try out.write(HelpText.targets())
            }
        case "corpus":
            try out.write(CorpusSummary.text(corpus))
        case "check":
            for d in corpus.diagnostics { try out.write(d.description + "\n") }
            try out.write("\(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning"))\n")
        case "mode":
            guard let value = args.first else { try out.write(mode.rawValue + "\n"); break }
            guard let newMode = OutputMode(rawValue: value.lowercased()) else { return usage() }
            mode = newMode
        case "headers", "timer":
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return usage() }
            if command.name == "headers" { headers = args[0].lowercased() == "on" } else { timer = args[0].lowercased() == "on" }
        default:
            return usage()
        }
        try out.flush()
        return .ready
    }
}

/// The `.corpus` summary and the shell's banner line.
public enum CorpusSummary {
    public static func text(_ corpus: Corpus) -> String {
        let sections = corpus.issues.reduce(0) { $0 + $1.sections.count }
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
