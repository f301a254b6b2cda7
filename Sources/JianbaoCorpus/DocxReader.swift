import CLoader

/// The text of a Word file (FORMAT.md "Word"): the paragraphs of `word/document.xml` in order,
/// one line each, table rows as one line with cells joined by a tab, line breaks as line ends.
/// libzip reads the archive from memory and libxml2 parses the XML (CMarkup, in
/// libJianbaoForms.so, opened on the first Word file).
enum DocxReader {
    /// The largest document.xml read: a ZIP bomb must not take the machine's memory.
    static let maxDocumentBytes = 512 << 20

    static func text(_ bytes: [UInt8], path: String) -> Result<[UInt8], Failure> {
        if let why = FormsLibrary.unavailable { return .failure(Failure(FormsLibrary.missing("Word files", why))) }
        let xml: [UInt8]
        switch documentXML(bytes) {
        case .failure(let failure): return .failure(failure)
        case .success(let found): xml = found
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = xml.withUnsafeBufferPointer { jb_forms_loaded_docx_records($0.baseAddress, $0.count, &out, &length) }
        defer { jb_forms_loaded_free(out) }
        guard status == 0 else {
            return .failure(Failure(status == -2 ? "out of memory reading word/document.xml" : "word/document.xml is not well-formed XML; skipped"))
        }
        let records = out.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        return .success(lines(records))
    }

    /// A reason the file could not be read, for the diagnostic.
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// `word/document.xml` out of the archive (CMarkup's jb_docx_document_xml, through CLoader).
    static func documentXML(_ bytes: [UInt8]) -> Result<[UInt8], Failure> {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var size: UInt64 = 0
        let status = bytes.withUnsafeBufferPointer {
            jb_forms_loaded_docx_document_xml($0.baseAddress, $0.count, maxDocumentBytes, &out, &length, &size)
        }
        defer { jb_forms_loaded_free(out) }
        switch Int(status) {
        case Int(JB_DOCX_OK):
            return .success(out.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? [])
        case Int(JB_DOCX_NO_DOCUMENT):
            return .failure(Failure("not a Word document: the ZIP archive has no word/document.xml; skipped"))
        case Int(JB_DOCX_TOO_LARGE):
            return .failure(Failure("word/document.xml would be \(size) bytes unpacked; over \(maxDocumentBytes >> 20) MB, skipped"))
        case Int(JB_DOCX_DAMAGED):
            return .failure(Failure("word/document.xml cannot be unpacked (the ZIP archive is damaged); skipped"))
        case Int(JB_DOCX_NO_MEMORY):
            return .failure(Failure("out of memory unpacking word/document.xml; skipped"))
        case Int(JB_FORMS_UNAVAILABLE):
            return .failure(Failure(FormsLibrary.missing("Word files", FormsLibrary.unavailable ?? "unknown reason")))
        default:
            return .failure(Failure("not a Word file: the ZIP archive cannot be read (damaged or not a ZIP); skipped"))
        }
    }

    /// Bulletin text from CMarkup's records. A level-1 heading is a hint for a section marker:
    /// in a document without marker lines of its own, every such heading after the first line
    /// becomes `· NAME`; bold one-line paragraphs are already titles by the short-line rule.
    static func lines(_ records: [UInt8]) -> [UInt8] {
        let split = records.split(separator: 0x0A, omittingEmptySubsequences: false).compactMap { record -> (UInt8, ArraySlice<UInt8>)? in
            guard record.count >= 2 else { return nil }
            return (record[record.startIndex], record.dropFirst(2))
        }
        let hasMarkers = split.contains { record in
            let text = record.1.withUnsafeBufferPointer { p -> Bool in
                let (s, e) = UTF8Text.trim(p, 0, p.count)
                return e > s && IssueReader.markerName(p, s, e) != nil
            }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(records.count)
        for (index, (kind, text)) in split.enumerated() {
            if kind == UInt8(ascii: "h") && !hasMarkers && index > 0 && !text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                out += Array("· ".utf8)
            }
            out += text
            out.append(0x0A)
        }
        return out
    }
}
