/// Reads one file of any form the loader knows (FORMAT.md "Files"): text in any encoding,
/// Word (.docx), PDF and web pages. Every form becomes UTF-8 bulletin text that IssueReader
/// reads, so the same rules make issues, sections, articles and figures of all of them.
struct DocumentReader {
    /// What a file is.
    enum Form: String {
        case text, docx, pdf, html

        /// By extension first, then by the first bytes (a `.txt` that is really a PDF).
        static func of(path: String, bytes: [UInt8]) -> Form {
            let lower = path.lowercased()
            if lower.hasSuffix(".docx") { return .docx }
            if lower.hasSuffix(".pdf") { return .pdf }
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return .html }
            if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
            if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) && lower.hasSuffix(".txt") == false { return .docx }
            return .text
        }
    }

    /// What one file gave: an issue, or one article of a web page to be gathered with others.
    enum Result {
        case issue(Issue?, [Diagnostic])
        case webArticle(WebArticle?, [Diagnostic])
    }

    /// The path shown in diagnostics.
    let path: String
    /// The issue id (file name without its extension).
    let id: String
    /// An encoding named by the user for text that is not UTF-8 (`--encoding`).
    let encoding: String?

    func read(_ bytes: [UInt8]) -> Result {
        let reader = IssueReader(path: path, id: id)
        switch Form.of(path: path, bytes: bytes) {
        case .text:
            var (issue, diagnostics) = reader.read(bytes, encoding: encoding)
            if let issue, let name = issue.encoding, name != "UTF-8" {
                diagnostics.insert(Diagnostic(.note, file: path, "read as \(name)"), at: 0)
            }
            return .issue(issue, diagnostics)
        case .docx:
            switch DocxReader.text(bytes, path: path) {
            case .failure(let failure): return .issue(nil, [Diagnostic(.error, file: path, failure.message)])
            case .success(let text):
                let (issue, diagnostics) = reader.structure(TextNormaliser.normalise(text), encoding: nil, format: "docx", [])
                return .issue(issue, diagnostics)
            }
        case .pdf:
            switch PdfReader.text(bytes) {
            case .failure(let problem):
                return .issue(nil, [Diagnostic(problem.isWarning ? .warning : .error, file: path, problem.message)])
            case .success(let text):
                let (issue, diagnostics) = reader.structure(TextNormaliser.normalise(text), encoding: nil, format: "pdf", [])
                return .issue(issue, diagnostics)
            }
        case .html:
            return HtmlReader(path: path, encoding: encoding).read(bytes, reader: reader)
        }
    }
}
