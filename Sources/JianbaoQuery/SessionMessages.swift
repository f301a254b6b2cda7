import JianbaoCorpus

/// Errors and notes with their place: `script.jbq:LINE:COL:` for what came from a script.
extension Session {
    /// Writes an error with its place and marks the session failed.
    func report(_ error: QueryError, in text: String, origin: LineOrigin) {
        markFailed()
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
