import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

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
        while let line = reader.nextLine() {
            number += 1
            // Ctrl-C in the shell stops the script, as in psql and sqlite3, also when what it
            // interrupted could not stop (`.load`): the rest of the script does not run. The
            // shell stays, `.bail` or not (Ctrl-C never leaves it).
            if Cancellation.interruptRequested && !Cancellation.stoppedForMemory {
                note("\(name):\(number): interrupted; the rest of \(name) was not run")
                markFailed()
                return .ready
            }
            switch line {
            case .text(let text):
                if case .stop = try feed(text, origin: LineOrigin(file: name, line: number)) { return .stop }
            case .tooLong(let bytes, let head, let endless):
                // Refused while reading: memory stays within the limit (`-f /dev/zero`).
                input.discard()
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
        if let (text, first) = input.remainder(), case .stop = try run(text, origin: first) { return .stop }
        return .ready
    }

    // MARK: - Corpus

    /// `.load [--encoding NAME] PATH…`: adds to the corpus; existing article ids do not change.
    func load(_ paths: [String], encoding: String? = nil) {
        let started = Clock.now()
        let named = encoding.map { name in Dictionary(paths.map { ($0, name) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        corpusEncodings.merge(named) { _, new in new }
        let result = CorpusLoader.load(paths: paths, encodings: named, progress: terminal?.progress, cache: cache)
        for warning in result.cacheWarnings { note("warning: " + warning) }
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
        let result = corpusPaths.map { CorpusLoader.load(paths: $0, encodings: corpusEncodings, progress: terminal?.progress, cache: cache) }
            ?? CorpusLoader.load(documents: SampleCorpus.documents)
        for warning in result.cacheWarnings { note("warning: " + warning) }
        let errors = result.diagnostics.filter { $0.severity == .error }
        for d in errors { note(d.description) }
        // A named path that is gone (the folder was moved, a disk unmounted) or a load that
        // found nothing keeps what is loaded: `.reload` must not empty the corpus.
        let named = Set(corpusPaths ?? [])
        if errors.contains(where: { named.contains($0.file) }) || (result.issues.isEmpty && !corpus.issues.isEmpty) {
            markFailed()
            note("error: .reload could not read everything it loaded before; kept the \(counted(corpus.issues.count, "issue")) already loaded")
            return
        }
        if !errors.isEmpty { markFailed() }
        setCorpus(Corpus(result))
        note("reloaded \(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article")) in "
             + Clock.milliseconds(since: started) + " ms")
    }

    // MARK: - Output targets

    func openRedirect(_ target: String, once: Bool) -> String? {
        switch Redirect.open(target, commands: commands, guarded: guarded) {
        case .failure(let error):
            return error.message
        case .success(let redirect):
            if once {
                if closeOnce() { markFailed() }
                onceRedirect = redirect
            } else {
                if end(self.redirect) { markFailed() }
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

    /// Ends a redirection and says what went wrong, if anything; true for a failure (which
    /// the caller records).
    func end(_ redirect: Redirect?, discard: Bool = false) -> Bool {
        switch redirect?.close(discard: discard) ?? .done {
        case .done: return false
        case .note(let message): note("note: " + message); return false
        case .failed(let message): note("error: " + message); return true
        }
    }

    /// Ends `.once`; `discard` keeps the old file (its statement failed). True when ending it
    /// failed, which is recorded.
    @discardableResult
    func closeOnce(discard: Bool = false) -> Bool {
        defer { onceRedirect = nil }
        let failure = end(onceRedirect, discard: discard)
        if failure { markFailed() }
        return failure
    }

    /// Ends every redirection (at the end of input, and when standard output failed: files
    /// under way are still finished or left as they were).
    public func closeRedirects() {
        closeOnce()
        if end(redirect) { markFailed() }
        redirect = nil
    }

    /// Ends the redirection `output` belongs to after a failed write; true when that was a
    /// failure (not a reader that stopped), which is recorded.
    func dropRedirect(_ output: Output) -> Bool {
        var failure = false
        if onceRedirect?.output === output { failure = closeOnce() }
        if redirect?.output === output {
            if end(redirect) { markFailed(); failure = true }
            redirect = nil
        }
        return failure
    }
}

// MARK: - Snapshot cache

extension Session {
    /// `.cache`: the folder, then each snapshot with its size and what it holds.
    func cacheListing() -> String {
        guard let cache else {
            let folder = SnapshotCache.defaultDirectory().map { " (it would be \($0))" } ?? ""
            return "no corpus cache in this run (--no-cache, JIANBAO_NO_CACHE=1 or the sample corpus)\(folder)\n"
        }
        let current = corpusPaths.map { cache.path(forRoot: SnapshotCache.root(paths: $0, encodings: corpusEncodings)) }
        // Snapshots are counted as snapshots; the figures kept beside them add to the bytes.
        let listings = cache.list()
        var text = "cache folder \(cache.directory): \(counted(listings.count { !$0.isFigures }, "snapshot")), \(counted(listings.reduce(0) { $0 + $1.bytes }, "byte"))\n"
        for listing in listings {
            let name = String(listing.path.split(separator: "/").last ?? "")
            let mark = listing.path == current ? " (this corpus)" : ""
            if listing.isFigures {
                text += "  \(name): \(counted(listing.bytes, "byte")); \(name.hasSuffix(".words") ? "the word statistics" : "the figures") of the snapshot of that name, once made\n"
            } else if let root = listing.root {
                text += "  \(name)\(mark): \(counted(listing.bytes, "byte")); \(counted(listing.files, "file")), "
                    + "\(counted(listing.issues, "issue")), \(counted(listing.textBytes, "byte")) of text; for "
                    + root.split(separator: "\n").map { Printable.visible(String($0)) }.joined(separator: ", ") + "\n"
            } else {
                text += "  \(name)\(mark): \(counted(listing.bytes, "byte")); from another build, damaged or being written (rebuilt when needed)\n"
            }
        }
        return text
    }

    /// `.cache clear`: removes every snapshot; the corpus in memory stays as it is.
    func clearCache() {
        guard let cache else {
            note("no corpus cache in this run; nothing removed")
            return
        }
        let (removed, bytes, failure) = cache.clear()
        if let failure {
            note("error: .cache clear: " + failure)
            markFailed()
        }
        note("removed \(counted(removed, "snapshot")) (\(counted(bytes, "byte"))) from \(cache.directory)")
    }
}
