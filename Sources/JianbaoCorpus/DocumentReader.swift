/// Reads one file of any form the loader knows (FORMAT.md "Files"): text in any encoding,
/// Word (.docx), PDF and web pages. Every form becomes UTF-8 bulletin text that IssueReader
/// reads, so the same rules make issues, sections, articles and figures of all of them.
struct DocumentReader {
    /// What a file is.
    enum Form: String {
        case text, docx, pdf, html

        /// By extension first, then by the first bytes (a `.txt` that is really a PDF).
        static func of(path: String, bytes: [UInt8]) -> Form {
            // The extension's letters compared as ASCII bytes: lowercasing the whole path as a
            // String, for every file of a 10,000-issue archive, cost more than all of this.
            let utf8 = path.utf8
            let dot = utf8.lastIndex(of: UInt8(ascii: "."))
            let slash = utf8.lastIndex(of: UInt8(ascii: "/"))
            var ext: Substring.UTF8View?
            if let dot, slash.map({ $0 < dot }) ?? true { ext = utf8[utf8.index(after: dot)...] }
            func isExtension(_ lower: StaticString) -> Bool {
                guard let ext, ext.count == lower.utf8CodeUnitCount else { return false }
                // Every letter of `lower` is a–z: OR 0x20 folds A–Z onto it and nothing else.
                return zip(ext, UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)).allSatisfy { $0 | 0x20 == $1 }
            }
            if isExtension("docx") { return .docx }
            if isExtension("pdf") { return .pdf }
            if isExtension("html") || isExtension("htm") || isExtension("xhtml") { return .html }
            if bytes.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }  // %PDF-
            if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) && !isExtension("txt") { return .docx }
            return .text
        }

        /// Whether a file of this form cannot be read on this machine because the library that
        /// reads it (PDF: libJianbaoPdf.so; Word and web pages: libJianbaoForms.so) cannot be
        /// opened. Such a failure must not be kept in a snapshot: once the library is there, the
        /// unchanged file is to be read again.
        var libraryIsMissing: Bool {
            switch self {
            case .text: false
            case .pdf: PdfReader.isUnavailable
            case .docx, .html: FormsLibrary.unavailable != nil
            }
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
