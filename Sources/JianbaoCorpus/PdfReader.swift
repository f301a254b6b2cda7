import CLoader

/// The text of a PDF through poppler (CPdf, opened on first use by CLoader), rebuilt into bulletin lines (FORMAT.md "PDF"):
/// lines wrapped at the page width are joined, the spaces PDF text puts between CJK and digits
/// or Latin are removed, and page headers, footers and page numbers are dropped.
enum PdfReader {
    /// One line of a page as poppler laid it out.
    struct Line {
        /// Left and right edges and font size, in points.
        var x1, x2, size: Double
        var text: String
    }

    /// Why a PDF gives no text.
    struct Problem: Error {
        var message: String
        /// A scan is a warning (the file is fine, just not text); the rest are errors.
        var isWarning = false
    }

    static func text(_ bytes: [UInt8]) -> Result<[UInt8], Problem> {
        switch pages(bytes) {
        case .failure(let problem): return .failure(problem)
        case .success(let pages):
            let characters = pages.joined().reduce(0) { $0 + $1.text.unicodeScalars.count { $0.value > 0x20 } }
            if characters == 0 {
                return .failure(Problem(message: "no text layer; scanned PDFs need OCR first (skipped)", isWarning: true))
            }
            let lines = PdfLayout.body(pages)
            return .success(Array(PdfLayout.join(lines).utf8))
        }
    }

    /// Whether PDFs cannot be read on this machine (opens the library the first time).
    static var isUnavailable: Bool { jb_pdf_unavailable() != nil }

    /// Why PDFs cannot be read on this machine: poppler's library (or ours over it) would not open.
    static var unavailable: String {
        let why = jb_pdf_unavailable().map { String(cString: $0) } ?? "unknown reason"
        return "PDF text is not available (\(why)); install Debian's libpoppler-cpp0v5 and keep libJianbaoPdf.so beside jianbao; skipped"
    }

    /// The lines of each page, in reading order.
    static func pages(_ bytes: [UInt8]) -> Result<[[Line]], Problem> {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var count: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { jb_pdf_loaded_lines($0.baseAddress, $0.count, &out, &length, &count) }
        defer { jb_pdf_loaded_free(out) }
        switch Int(status) {
        case Int(JB_PDF_LOADED_OK): break
        case Int(JB_PDF_LOADED_ENCRYPTED): return .failure(Problem(message: "encrypted PDF (it needs a password); skipped"))
        case Int(JB_PDF_LOADED_NO_MEMORY): return .failure(Problem(message: "out of memory reading the PDF; skipped"))
        case Int(JB_PDF_UNAVAILABLE): return .failure(Problem(message: unavailable))
        default: return .failure(Problem(message: "not a readable PDF (damaged or truncated); skipped"))
        }
        let records = out.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
        var pages: [[Line]] = []
        for record in records.split(separator: "\n") {
            let fields = record.split(separator: "\u{1F}", maxSplits: 4, omittingEmptySubsequences: false)
            if fields.first == "P" {
                pages.append([])
            } else if fields.first == "L", fields.count == 5, !pages.isEmpty,
                      let x1 = Double(fields[1]), let x2 = Double(fields[2]), let size = Double(fields[3]) {
                pages[pages.count - 1].append(Line(x1: x1, x2: x2, size: max(size, 1), text: String(fields[4])))
            }
        }
        return .success(pages)
    }
}
