/// Reads one file of any form the loader knows (FORMAT.md "Files"): text in any encoding,
/// Word (.docx), PDF and web pages. Every form becomes UTF-8 bulletin text that IssueReader
/// reads, so the same rules make issues, sections, articles and figures of all of them.
struct DocumentReader {
    /// What a file is.
    enum Form: String {
        case text, docx, pdf, html

        /// By extension first, then by the first bytes (a `.txt` that is really a PDF).
        static func of(path: String, bytes: [UInt8]) -> Form {
            var path = path
            let (form, isTxt) = path.withUTF8 { byExtension($0) }
            if let form { return form }
            if bytes.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }  // %PDF-
            if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) && !isTxt { return .docx }
            return .text
        }

        /// The form a file name's extension gives, and whether it is `.txt`. Its letters are
        /// compared as ASCII bytes: lowercasing every path as a String cost more than all this.
        static func byExtension(_ path: UnsafeBufferPointer<UInt8>) -> (Form?, isTxt: Bool) {
            var dot = path.count - 1
            while dot >= 0 && path[dot] != UInt8(ascii: ".") && path[dot] != UInt8(ascii: "/") { dot -= 1 }
            guard dot >= 0, path[dot] == UInt8(ascii: ".") else { return (nil, false) }
            let ext = UnsafeBufferPointer(rebasing: path[(dot + 1)...])
            func isExtension(_ lower: StaticString) -> Bool {
                // Every letter of `lower` is a–z: OR 0x20 folds A–Z onto it and nothing else.
                ext.count == lower.utf8CodeUnitCount
                    && zip(ext, UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)).allSatisfy { $0 | 0x20 == $1 }
            }
            if isExtension("docx") { return (.docx, false) }
            if isExtension("pdf") { return (.pdf, false) }
            if isExtension("html") || isExtension("htm") || isExtension("xhtml") { return (.html, false) }
            return (nil, isExtension("txt"))
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
