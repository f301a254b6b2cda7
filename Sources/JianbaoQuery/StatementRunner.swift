import JianbaoCorpus

/// One statement text through the pipeline: parse → resolve → evaluate → format, under one
/// cancellation token (Ctrl-C and the deadline) that the resolver and the evaluator both poll,
/// and timed as a whole: first segmentation or figure extraction done while resolving counts
/// towards `.timer` and `.timeout` like the row walk after it.
struct StatementRunner {
    /// The corpus the statements run on.
    let corpus: Corpus
    let mode: OutputMode
    /// The style for where the results go (width read for this statement).
    let style: OutputStyle
    /// `.timeout` in seconds; nil for none (statements with `matches` still get `matchesTimeout`).
    let timeout: Double?
    /// Where long steps report progress (the shell's progress line), if anywhere.
    let progress: (any ProgressReporter)?
    /// Whether word lists leave out stopwords.txt (`.stopwords`).
    var stopwords = true

    /// A statement with `matches` or `kwic /regex/` stops after this many seconds when no
    /// `.timeout` is set: a pattern can backtrack for long.
    static let matchesTimeout = 60.0

    /// Runs every statement of `text`. All are parsed first (a syntax error anywhere runs none
    /// of them); each is then resolved and run in turn. Notes go to `note` before the result;
    /// `timed` gets each statement's wall time in nanoseconds.
    func run(_ text: String, to target: Output, note: (QueryNote) -> Void, timed: (UInt64) -> Void) throws {
        var started = Clock.now()
        // The progress line goes before anything else is written, whatever happens.
        progress?.statementStarted()
        defer { progress?.statementEnded() }
        var parser = try Parser(text)
        let statements = try parser.statements()
        let limit = timeout ?? (Self.usesMatches(text) ? Self.matchesTimeout : nil)
        for (statement, _) in statements {
            let token = Cancellation(deadline: limit.map { Clock.deadline(after: $0, from: started) }, progress: progress)
            do {
                var resolver = Resolver(corpus: corpus, cancellation: token)
                let plan = try resolver.resolve(statement)
                for found in resolver.notes { note(found) }
                var formatter = mode.makeFormatter(style)
                var evaluator = Evaluator(corpus: corpus, cancellation: token)
                evaluator.stopwords = stopwords
                try evaluator.run(plan, formatter: &formatter, to: target)
            } catch let error as QueryError where error.kind == .interrupted && Cancellation.stoppedForMemory {
                throw QueryError(.outOfMemoryWorking, span: 0..<0)
            } catch let error as QueryError where error.kind == .interrupted && token.isPastDeadline {
                throw QueryError(.timedOut(limit ?? 0, matches: timeout == nil), span: 0..<0)
            }
            try target.flush()
            let now = Clock.now()
            timed(now - started)
            started = now
        }
    }

    /// Whether a statement uses a regular expression, `matches` or `kwic /…/` (then the
    /// default time limit applies: a pattern can backtrack for long either way).
    static func usesMatches(_ text: String) -> Bool {
        (try? Lexer(text).tokens())?.contains {
            if case .pattern = $0.kind { return true }
            return $0.isKeyword("matches")
        } ?? false
    }
}
