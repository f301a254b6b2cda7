@preconcurrency import Glibc
import JianbaoCorpus
import JianbaoQuery

/// Sequences one run: load the corpus, then feed the statements from `-c`, `-f`, standard
/// input or the shell to one `Session`, and turn the outcome into an exit status.
struct Driver {
    let options: Jianbao
    let order: [ScriptOrder.Kind]

    init(_ options: Jianbao, order: [ScriptOrder.Kind]) {
        self.options = options
        self.order = order
    }

    func run() -> Int32 {
        let err = Output(fd: 2)
        let (corpus, named) = loadCorpus()
        if options.check {
            for diagnostic in corpus.diagnostics { print(diagnostic) }
            print("\(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article")); \(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning"))")
            return corpus.errorCount > 0 ? 1 : 0
        }
        // File-level errors always show; warnings wait for --check, .check and the banner.
        for diagnostic in corpus.diagnostics where diagnostic.severity == .error {
            try? err.write("\(diagnostic)\n")
        }
        try? err.flush()
        if corpus.issues.isEmpty && corpus.errorCount > 0 {
            fputs("jianbao: no issue could be loaded from \(named.joined(separator: " "))\n", stderr)
            return 3
        }

        let interactive = options.commands.isEmpty && options.files.isEmpty && isatty(0) == 1 && isatty(1) == 1
        let session = Session(corpus: corpus, mode: options.mode ?? .tsv, headers: !options.noHeader,
                              bail: options.bail ?? !interactive, out: Output(fd: 1), err: err)
        do {
            if interactive {
                try Shell(session: session, quiet: options.quiet).run()
            } else if options.commands.isEmpty && options.files.isEmpty {
                try feed(PlainLineSource(fd: 0), file: nil, to: session)
            } else {
                try runScripts(session)
            }
            try session.finish()
        } catch {
            // The reader of our output has gone: stop quietly, as `head` expects.
            return 0
        }
        return session.failed ? 1 : 0
    }

    /// The corpus and how it was named (for messages).
    func loadCorpus() -> (Corpus, [String]) {
        // JIANBAO_SERIAL_LOAD=1 reads files on one thread: for benchmarks and bug reports.
        let parallel = getenv("JIANBAO_SERIAL_LOAD").map { String(cString: $0) != "1" } ?? true
        if !options.corpus.isEmpty {
            return (Corpus(CorpusLoader.load(paths: options.corpus, parallel: parallel)), options.corpus)
        }
        if let env = getenv("JIANBAO_CORPUS"), !String(cString: env).isEmpty {
            let path = String(cString: env)
            return (Corpus(CorpusLoader.load(paths: [path], parallel: parallel)), [path])
        }
        return (Corpus(CorpusLoader.load(documents: SampleCorpus.documents)), ["the sample corpus"])
    }

    /// `-c` and `-f` in the order given; a failure with bail on stops the rest.
    func runScripts(_ session: Session) throws(OutputClosed) {
        var commands = options.commands.makeIterator()
        var files = options.files.makeIterator()
        let kinds = order.count == options.commands.count + options.files.count
            ? order : Array(repeating: .command, count: options.commands.count) + Array(repeating: .file, count: options.files.count)
        for kind in kinds {
            let failedBefore = session.failed
            switch kind {
            case .command:
                let text = commands.next()!
                var result = Session.Feed.ready
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    result = try session.feed(String(line))
                    if case .stop = result { break }
                }
                if case .stop = result { return }
                try session.finish()
            case .file:
                let path = files.next()!
                if path == "-" {
                    try feed(PlainLineSource(fd: 0), file: "<stdin>", to: session)
                } else if let source = PlainLineSource(path: path) {
                    try feed(source, file: path, to: session)
                } else {
                    session.note("jianbao: cannot open script \(path): \(String(cString: strerror(errno)).lowercased())")
                    session.markFailed()
                }
                try session.finish()
            }
            if session.bail && session.failed && !failedBefore { return }
        }
    }

    func feed(_ source: PlainLineSource, file: String?, to session: Session) throws(OutputClosed) {
        var number = 0
        while let line = source.next() {
            number += 1
            if case .stop = try session.feed(line, origin: LineOrigin(file: file, line: number)) { return }
        }
    }
}
