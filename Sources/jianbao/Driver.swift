@preconcurrency import Glibc
import CEditShim
import JianbaoCorpus
import JianbaoQuery

/// Sequences one run: load the corpus, then feed the statements from `-c`, `-f`, standard
/// input or the shell to one `Session`, and turn the outcome into an exit status.
struct Driver {
    let options: Jianbao
    let order: [ScriptOrder.Kind]
    /// How many trailing positional arguments are script arguments only (after `--`).
    let scriptOnly: Int

    init(_ options: Jianbao, order: [ScriptOrder.Kind], scriptOnly: Int) {
        self.options = options
        self.order = order
        self.scriptOnly = scriptOnly
        cache = options.noCache ? nil : SnapshotCache.fromEnvironment(version: Jianbao.version)
    }

    /// The corpus paths: positional arguments before `--`.
    var corpusPaths: [String] { Array(options.corpus.dropLast(scriptOnly)) }

    func run() -> Int32 {
        let err = Output(fd: 2)
        let terminal = isatty(1) == 1
        let interactive = options.commands.isEmpty && options.files.isEmpty && isatty(0) == 1 && terminal
        let started = Clock.now()
        // Only the shell shows how far a long load is; scripts and pipes stay silent.
        let (corpus, named) = loadCorpus(progress: interactive && !options.check ? ProgressLine() : nil)
        let loadMilliseconds = (Clock.now() - started) / 1_000_000
        if options.check {
            Driver.keptUntilExit.append(corpus)
            let out = Output(fd: 1)
            do throws(OutputClosed) {
                for diagnostic in corpus.diagnostics { try out.write("\(diagnostic)\n") }
                try out.write("\(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article")); \(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning"))\n")
                try out.flush()
            } catch {
                return outcome(of: error)
            }
            return corpus.errorCount > 0 ? 1 : 0
        }
        // File-level errors always show; warnings wait for --check, .check and the banner.
        for diagnostic in corpus.diagnostics where diagnostic.severity == .error {
            try? err.write("\(diagnostic)\n")
        }
        try? err.flush()
        if corpus.issues.isEmpty && corpus.errorCount > 0 {
            var loaded = corpus
            for warning in loaded.finishSnapshotWrites() { writeError("jianbao: warning: \(warning)\n") }
            writeError("jianbao: no issue could be loaded from \(named.joined(separator: " "))\n")
            return 3
        }

        var defined: [String: String] = [:]
        for define in options.defines {
            let parts = define.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            defined[String(parts[0])] = String(parts[1])
        }
        let style = OutputStyle(headers: !options.noHeader,
                                width: terminal ? Int(jb_terminal_columns(1)).nonZero ?? 80 : nil,
                                color: terminal && getenv("NO_COLOR") == nil && String(cString: getenv("TERM") ?? strdup("")) != "dumb")
        let session = Session(corpus: corpus, mode: options.mode ?? (terminal ? .table : .tsv), style: style,
                              bail: options.bail ?? !interactive,
                              variables: Variables(named: defined, arguments: options.corpus),
                              out: Output(fd: 1), err: err)
        Driver.keptUntilExit.append(session)
        session.timeout = options.timeout
        session.safe = options.safe
        session.cache = cache
        session.commands = ShellCommands()
        session.corpusEncodings = encodings(corpusPaths.isEmpty ? getenv("JIANBAO_CORPUS").map { [String(cString: $0)] } ?? [] : corpusPaths)
        session.modeIsExplicit = options.mode != nil
        if terminal { session.terminal = Screen(out: session.stdout) }
        session.corpusPaths = corpusPaths.isEmpty ? getenv("JIANBAO_CORPUS").map { [String(cString: $0)] }.flatMap { $0[0].isEmpty ? nil : $0 } : corpusPaths
        do {
            if interactive {
                try Shell(session: session, quiet: options.quiet, readRC: !options.noRC, loadMilliseconds: loadMilliseconds).run()
            } else if options.commands.isEmpty && options.files.isEmpty {
                _ = try session.read(script: "-", arguments: options.corpus)
            } else {
                try runScripts(session)
            }
            try session.finish()
        } catch {
            session.settleSnapshotWrites()
            session.closeRedirects()
            return outcome(of: error)
        }
        return session.failed ? 1 : 0
    }

    /// The session of this run (and with it the corpus it has now), or the corpus of a
    /// `--check`, held until the process exits: freeing ten thousand issues (their arrays,
    /// strings and mappings) one by one only to exit was 3–5% of a warm one-shot run.
    /// Everything that must reach a file is flushed and closed before `run` returns
    /// (`Session.finish`, `closeRedirects`), so nothing waits on a deinit.
    nonisolated(unsafe) static var keptUntilExit: [Any] = []

    /// The exit status after output stopped: 0 when the reader went away (quietly, as `head`
    /// expects), 1 with a message when a write failed (a full disk, a closed descriptor).
    func outcome(of closed: OutputClosed) -> Int32 {
        guard let failure = closed.failure else { return 0 }
        writeError("jianbao: \(failure)\n")
        return 1
    }

    /// Where corpus snapshots are kept, unless `--no-cache` or `JIANBAO_NO_CACHE=1` say not to.
    let cache: SnapshotCache?

    /// The corpus and how it was named (for messages).
    func loadCorpus(progress: ProgressLine? = nil) -> (Corpus, [String]) {
        // JIANBAO_SERIAL_LOAD=1 reads files on one thread: for benchmarks and bug reports.
        let parallel = getenv("JIANBAO_SERIAL_LOAD").map { String(cString: $0) != "1" } ?? true
        func load(_ paths: [String]) -> Corpus {
            // A script or pipe run writes a new snapshot while its statements run (the shell,
            // which shows the load, and --check wait for it).
            let result = CorpusLoader.load(paths: paths, encodings: encodings(paths), parallel: parallel, progress: progress, cache: cache,
                                           writesInBackground: progress == nil && !options.check)
            for warning in result.cacheWarnings { writeError("jianbao: warning: \(warning)\n") }
            return Corpus(result)
        }
        if !corpusPaths.isEmpty {
            return (load(corpusPaths), corpusPaths)
        }
        if let env = getenv("JIANBAO_CORPUS"), !String(cString: env).isEmpty {
            let path = String(cString: env)
            return (load([path]), [path])
        }
        return (Corpus(CorpusLoader.load(documents: SampleCorpus.documents)), ["the sample corpus"])
    }

    /// `--encoding` for each corpus path.
    func encodings(_ paths: [String]) -> [String: String] {
        guard let name = options.encoding else { return [:] }
        return Dictionary(paths.map { ($0, name) }, uniquingKeysWith: { a, _ in a })
    }

    /// `-c` and `-f` in the order given; a failure with bail on stops the rest.
    func runScripts(_ session: Session) throws(OutputClosed) {
        var commands = options.commands.makeIterator()
        var files = options.files.makeIterator()
        let kinds = order.count == options.commands.count + options.files.count
            ? order : Array(repeating: .command, count: options.commands.count) + Array(repeating: .file, count: options.files.count)
        for kind in kinds {
            switch kind {
            case .command:
                let text = commands.next()!
                var result = Session.Feed.ready
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    result = try session.feed(String(line))
                    if case .stop = result { return }
                }
                try session.finishPendingStatement()
            case .file:
                if case .stop = try session.read(script: files.next()!, arguments: options.corpus) { return }
            }
            if session.bail && session.failed { return }
        }
    }
}

extension Int {
    /// nil for 0 (an unknown terminal width).
    var nonZero: Int? { self == 0 ? nil : self }
}

/// Writes to standard error without C's `stderr` global (a concurrency error in Swift 6).
func writeError(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
