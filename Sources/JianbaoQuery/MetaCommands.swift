import JianbaoCorpus

/// The dot-commands (the sqlite3 convention): one table that the session dispatches on and
/// `.help` prints, so the two cannot disagree.
public struct MetaCommand: Sendable {
    public let name: String
    public let arguments: String
    public let help: String
    /// Whether an argument names a file (the shell completes paths there).
    public let takesPath: Bool

    init(_ name: String, _ arguments: String, _ help: String, path: Bool = false) {
        self.name = name
        self.arguments = arguments
        self.help = help
        takesPath = path
    }
}

public enum MetaCommands {
    public static let all: [MetaCommand] = [
        MetaCommand("help", "[TOPIC]", "this list; .help with a command, statement, target or mode says more"),
        MetaCommand("fields", "[TARGET]", "the targets, or one target's fields with their types"),
        MetaCommand("corpus", "", "what is loaded: issues, sections, articles, dates, diagnostics"),
        MetaCommand("check", "", "every loader diagnostic"),
        MetaCommand("load", "[--encoding NAME] PATH…", "add bulletin files or folders (.txt, .docx, .pdf, .html) to the corpus", path: true),
        MetaCommand("reload", "", "read the corpus again from its files (after they changed)"),
        MetaCommand("cache", "[clear]", "where the corpus snapshots are kept, their size and what they hold; clear removes them"),
        MetaCommand("history", "", "the statements entered in the shell, oldest first"),
        MetaCommand("mode", "[MODE] [--bom]", "show or set the output mode: " + OutputMode.allCases.map(\.rawValue).joined(separator: "|")
                    + "; csv --bom starts files with a UTF-8 BOM (for Excel)"),
        MetaCommand("wrap", "[N]", "show or set how many lines a text cell of box output may wrap to on a terminal (3)"),
        MetaCommand("headers", "on|off", "header rows in table, csv, tsv and chart output"),
        MetaCommand("output", "[FILE|'|COMMAND'|off]", "send results to a file or a command until .output off", path: true),
        MetaCommand("once", "FILE|'|COMMAND'", "send the next statement's results to a file or a command", path: true),
        MetaCommand("export", "sqlite FILE|jsonl DIR [force]", "write every target (and the words, once segmented) to an SQLite database or JSON-lines files", path: true),
        MetaCommand("read", "SCRIPT [ARG…]", "run a script; its arguments are $1, $2, …", path: true),
        MetaCommand("set", "NAME VALUE", "define a variable, used as $NAME or ${NAME}"),
        MetaCommand("vars", "", "list the variables"),
        MetaCommand("bail", "on|off", "stop at the first error"),
        MetaCommand("echo", "on|off", "write each line before running it"),
        MetaCommand("segment", "TEXT", "the words of TEXT as freq words and collocates see them, and who decided each"),
        MetaCommand("stopwords", "on|off", "leave the function words of stopwords.txt out of freq words, freq ngrams, keywords and collocates (on)"),
        MetaCommand("timer", "on|off", "print each statement's wall time to standard error"),
        MetaCommand("timeout", "[SECONDS|off]", "stop a statement that runs longer (default: off, 60 s for matches and kwic /regex/)"),
        MetaCommand("safe", "[on]", "refuse commands, file output and reads outside the corpus and the script's folder, for the rest of the run"),
        MetaCommand("quit", "", "leave"),
        MetaCommand("exit", "", "leave"),
    ]

    public static func named(_ name: String) -> MetaCommand? {
        all.first { $0.name == name.lowercased() }
    }

    /// Splits a meta command's arguments on white space, keeping '…' and "…" together.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Where an unclosed quote starts in a meta command's text, or nil when all are closed.
    static func unclosedQuote(_ text: String) -> String.Index? {
        var quote: (Character, String.Index)?
        for i in text.indices {
            let c = text[i]
            if let (q, _) = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = (c, i)
            }
        }
        return quote?.1
    }
}

extension Session {
    func meta(_ line: String, origin: LineOrigin) throws(OutputClosed) -> Feed {
        let words = MetaCommands.words(String(line.dropFirst()))
        let name = words.first ?? ""
        let args = Array(words.dropFirst())
        // sqlite3's and psql's commands for the schema: say what lists the fields here.
        if ["schema", "tables", "table", "indexes", "dt", "d"].contains(name.lowercased()) {
            return fail(QueryError(.sqlHabit("." + name, instead: ".fields lists the targets and .fields TARGET their fields"),
                                   span: 0..<(name.utf8.count + 1)), line, origin)
        }
        guard let command = MetaCommands.named(name) else {
            let suggestion = Suggest.nearest(name, in: MetaCommands.all.map(\.name)).map { "." + $0 }
            return fail(QueryError(.unknownMeta("." + name, suggestion: suggestion), span: 0..<(name.utf8.count + 1)), line, origin)
        }
        // `.output 'unterminated` must not create a file named `unterminated`.
        if let quote = MetaCommands.unclosedQuote(line) {
            let at = line.utf8.distance(from: line.startIndex, to: quote)
            return fail(QueryError(.unterminatedQuote, span: at..<line.utf8.count), line, origin)
        }
        func usage() -> Feed {
            fail(QueryError(.metaUsage(".\(command.name) \(command.arguments)"), span: 0..<line.utf8.count), line, origin)
        }
        func toggle(_ apply: (Bool) -> Void) -> Feed? {
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return usage() }
            apply(args[0].lowercased() == "on")
            return nil
        }
        if let refused = safeModeRefusal(command.name, args) {
            return fail(QueryError(.refusedInSafeMode(refused), span: 0..<line.utf8.count), line, origin)
        }
        let out = self.out
        switch command.name {
        case "quit", "exit":
            return .stop
        case "safe":
            guard let value = args.first else {
                try out.write(safe ? "on\n" : "off\n")
                break
            }
            guard args.count == 1, ["on", "off"].contains(value.lowercased()) else { return usage() }
            if value.lowercased() == "on" { safe = true } else if safe {
                return fail(QueryError(.refusedInSafeMode(".safe off: it stays on for the rest of the run"), span: 0..<line.utf8.count), line, origin)
            }
        case "help":
            return try listing(args.first.map(HelpText.topic) ?? HelpText.overview())
        case "fields":
            if let name = args.first {
                guard let spec = Schema.target(named: name) else {
                    let span = (line.utf8.count - name.utf8.count)..<line.utf8.count
                    return fail(QueryError(.unknownTarget(name, suggestion: Suggest.nearest(name, in: Schema.targets.map(\.name))), span: span), line, origin)
                }
                return try listing(HelpText.fields(of: spec))
            }
            return try listing(HelpText.targets())
        case "corpus":
            try out.write(CorpusSummary.text(corpus))
        case "check":
            for d in corpus.diagnostics { try out.write(d.description + "\n") }
            try out.write("\(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning"))\n")
        case "mode":
            guard let value = args.first else { try out.write(mode.rawValue + (style.bom ? " --bom" : "") + "\n"); break }
            let bom = args.count == 2 && args[1].lowercased() == "--bom"
            guard args.count == 1 || bom && value.lowercased() == "csv" else { return usage() }
            guard let newMode = OutputMode(rawValue: value.lowercased()) else {
                // sqlite3's `column` is what `table` does here.
                let suggestion = value.lowercased() == "column" ? "table"
                    : Suggest.nearest(value, in: OutputMode.allCases.map(\.rawValue))
                let span = (line.utf8.count - value.utf8.count)..<line.utf8.count
                return fail(QueryError(.unknownMode(value, suggestion: suggestion), span: span), line, origin)
            }
            mode = newMode
            modeIsExplicit = true
            style.bom = bom
        case "wrap":
            guard let value = args.first else { try out.write("\(style.wrap)\n"); break }
            guard args.count == 1, let lines = Int(value), lines >= 1, lines <= 1000 else { return usage() }
            style.wrap = lines
        case "headers":
            if let r = toggle({ style.headers = $0 }) { return r }
        case "bail":
            if let r = toggle({ bail = $0 }) { return r }
        case "echo":
            if let r = toggle({ echo = $0 }) { return r }
        case "timer":
            if let r = toggle({ timer = $0 }) { return r }
        case "stopwords":
            if let r = toggle({ stopwords = $0 }) { return r }
        case "timeout":
            guard let value = args.first else {
                try out.write((timeout.map { Self.seconds($0) + " s" } ?? "off (\(Self.seconds(Self.matchesTimeout)) s for statements with matches or kwic /regex/)") + "\n")
                break
            }
            if args.count == 1, value.lowercased() == "off" {
                timeout = nil
            } else if args.count == 1, let seconds = Double(value), seconds > 0, seconds.isFinite {
                timeout = seconds
            } else {
                return usage()
            }
        case "output", "once":
            guard args.count <= 1, command.name == "output" || args.count == 1 else { return usage() }
            if command.name == "output", args.isEmpty || args[0] == "off" || args[0] == "stdout" {
                closeRedirects()
                break
            }
            if let problem = openRedirect(args[0], once: command.name == "once") {
                note("error: " + problem)
                markFailed()
                return bail ? .stop : .ready
            }
        case "load":
            var paths = args
            var encoding: String?
            if paths.first == "--encoding" {
                guard paths.count >= 3 else { return usage() }
                encoding = paths[1]
                paths.removeFirst(2)
                guard TextDecoder.isKnown(TextDecoder.converterName(encoding!)) else {
                    note("error: .load --encoding: ICU knows no encoding named '\(encoding!)' (try GB18030, GBK, Big5, UTF-16LE, UTF-16BE)")
                    markFailed()
                    return bail ? .stop : .ready
                }
            }
            guard !paths.isEmpty else { return usage() }
            load(paths, encoding: encoding)
        case "reload":
            guard args.isEmpty else { return usage() }
            reload()
        case "cache":
            guard args.isEmpty || args.count == 1 && args[0].lowercased() == "clear" else { return usage() }
            settleSnapshotWrites()
            if args.isEmpty { try out.write(cacheListing()) } else { clearCache() }
        case "history":
            guard let history = terminal?.history else {
                note("no history: it is kept by the interactive shell")
                break
            }
            return try listing(history.enumerated().map { i, entry in
                DisplayWidth.pad(String(i + 1), to: 5, right: true) + "  "
                    + entry.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayWidth.visible(String($0)) }.joined(separator: "\n       ") + "\n"
            }.joined())
        case "export":
            guard Self.isExportUsage(args) else { return usage() }
            if !export(args), bail { return .stop }
        case "read":
            guard let script = args.first else { return usage() }
            return try read(script: script, arguments: Array(args.dropFirst()), origin: origin)
        case "set":
            guard args.count >= 2, Variables.isValidName(args[0]) else { return usage() }
            variables.named[args[0]] = args.dropFirst().joined(separator: " ")
        case "segment":
            guard !args.isEmpty else { return usage() }
            let text = line.drop { $0 != " " && $0 != "\t" }.trimmingCharacters(in: " \t")
            // The words, then who decided each (dictionary, lexicon, a rule): docs/WORDS.md.
            let words = corpus.words.explain(text)
            try out.write(words.map(\.word).joined(separator: " ") + "\n")
            let width = words.map { DisplayWidth.of($0.word) }.max() ?? 0
            for (word, source) in words {
                try out.write("  " + DisplayWidth.pad(word, to: width) + "  " + source.label + "\n")
            }
            noteMissingDictionary()
        case "vars":
            for (name, value) in variables.named.sorted(by: { $0.key < $1.key }) { try out.write("\(name) = \(value)\n") }
            for (i, value) in variables.positional.enumerated() { try out.write("\(i + 1) = \(value)\n") }
        default:
            return usage()
        }
        try out.flush()
        return .ready
    }

    /// Writes a listing (`.help`, `.fields`, `.history`) where results go, through the pager
    /// like results when it is taller than the screen.
    private func listing(_ text: String) throws(OutputClosed) -> Feed {
        try toScreen(closingOnce: false) { target throws(OutputClosed) in
            try target.write(text)
            try target.flush()
            return .ready
        }
    }

    /// Reports a failed command and says whether to go on.
    private func fail(_ error: QueryError, _ line: String, _ origin: LineOrigin) -> Feed {
        report(error, in: line, origin: origin)
        return bail ? .stop : .ready
    }
}
