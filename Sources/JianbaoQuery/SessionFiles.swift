import JianbaoCorpus

/// What a session reads and writes besides statements: scripts (`-f`, `.read`), the corpus
/// (`.load`, `.reload`) and the targets of `.output` and `.once`.
extension Session {
    /// Reads a script through this session: `-f`, `.read`. Its arguments are `$1`, `$2`, …
    /// while it runs. Returns `.stop` when it stopped the session (bail, `.quit`).
    public func read(script path: String, arguments: [String], origin: LineOrigin? = nil) throws(OutputClosed) -> Feed {
        let fail = { (message: String) -> Feed in
            self.note((origin.map { "\($0.file ?? "-"):\($0.line): " } ?? "") + "error: " + message)
            self.markFailed()
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
        // The script's statements are its own: one it leaves open does not join the
        // caller's, and the caller's open statement waits for the script to end.
        let saved = input
        input = InputBuffer()
        defer {
            readStack.removeLast()
            variables.pop()
            input = saved
        }
        let name = path == "-" ? "<stdin>" : path
        var number = 0
        while let line = reader.next() {
            number += 1
            if case .stop = try feed(line, origin: LineOrigin(file: name, line: number)) { return .stop }
        }
        if let (text, first) = input.remainder(), case .stop = try run(text, origin: first) { return .stop }
        return .ready
    }

    // MARK: - Corpus

    /// `.load [--encoding NAME] PATH…`: adds to the corpus; existing article ids do not change.
    func load(_ paths: [String], encoding: String? = nil) {
        let started = Clock.now()
        let named = encoding.map { name in Dictionary(paths.map { ($0, name) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        corpusEncodings.merge(named) { _, new in new }
        let result = CorpusLoader.load(paths: paths, encodings: named, progress: terminal?.progress)
        let errors = result.diagnostics.filter { $0.severity == .error }
        for d in errors { note(d.description) }
        if !errors.isEmpty { markFailed() }
        var updated = corpus
        let before = (corpus.issues.count, corpus.articleCount)
        updated.append(result)
        setCorpus(updated)
        corpusPaths = (corpusPaths ?? []) + paths
        let warnings = result.diagnostics.count { $0.severity == .warning }
        note("loaded \(counted(corpus.issues.count - before.0, "issue")), \(counted(corpus.articleCount - before.1, "article")) in "
             + Clock.milliseconds(since: started) + " ms" + (warnings > 0 ? "; \(counted(warnings, "warning")) (.check)" : ""))
    }

    /// `.reload`: reads everything again from where it came from.
    func reload() {
        let started = Clock.now()
        let result = corpusPaths.map { CorpusLoader.load(paths: $0, encodings: corpusEncodings, progress: terminal?.progress) }
            ?? CorpusLoader.load(documents: SampleCorpus.documents)
        for d in result.diagnostics where d.severity == .error { note(d.description) }
        setCorpus(Corpus(result))
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
}
