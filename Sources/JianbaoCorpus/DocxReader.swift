import CMarkup
import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// The text of a Word file (FORMAT.md "Word"): the paragraphs of `word/document.xml` in order,
/// one line each, table rows as one line with cells joined by a tab, line breaks as line ends.
/// ZIPFoundation reads the archive; libxml2 parses the XML (CMarkup).
enum DocxReader {
    /// The largest document.xml read: a ZIP bomb must not take the machine's memory.
    static let maxDocumentBytes = 512 << 20

    static func text(_ bytes: [UInt8], path: String) -> Result<[UInt8], Failure> {
        let xml: [UInt8]
        switch documentXML(bytes, path: path) {
        case .failure(let failure): return .failure(failure)
        case .success(let found): xml = found
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = xml.withUnsafeBufferPointer { jb_docx_records($0.baseAddress, $0.count, &out, &length) }
        defer { jb_markup_free(out) }
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

    /// `word/document.xml` out of the archive.
    /// ZIPFoundation reads the archive from its file: its in-memory backend (0.9.20) traps on
    /// a central directory that points past the end (found by the FuzzForms target), where
    /// reading a real file just comes up short. Bytes with no file of their own (the sample
    /// corpus, the fuzzer) go through a private temporary file.
    static func documentXML(_ bytes: [UInt8], path: String) -> Result<[UInt8], Failure> {
        guard hasEndRecord(bytes) else {
            return .failure(Failure("not a Word file: the ZIP archive cannot be read (damaged or not a ZIP); skipped"))
        }
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) == bytes.count {
            return documentXML(file: path)
        }
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/jianbao-docx-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return .failure(Failure("cannot make a temporary file for the Word file: \(errnoText())")) }
        let temporary = String(cString: template)
        defer { unlink(temporary) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { return .failure(Failure("cannot write a temporary file for the Word file")) }
        return documentXML(file: temporary)
    }

    static func documentXML(file: String) -> Result<[UInt8], Failure> {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        } catch {
            return .failure(Failure("not a Word file: the ZIP archive cannot be read (damaged or not a ZIP); skipped"))
        }
        let entry = archive["word/document.xml"]
            ?? archive.first { $0.path.hasPrefix("word/") && $0.path.hasSuffix("document.xml") && $0.type == .file }
        guard let entry else {
            return .failure(Failure("not a Word document: the ZIP archive has no word/document.xml; skipped"))
        }
        guard entry.uncompressedSize <= UInt64(maxDocumentBytes) else {
            return .failure(Failure("word/document.xml would be \(entry.uncompressedSize) bytes unpacked; over \(maxDocumentBytes >> 20) MB, skipped"))
        }
        var xml: [UInt8] = []
        xml.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                // The size in the directory may lie; the data decides.
                guard xml.count + chunk.count <= maxDocumentBytes else { throw Failure("too large") }
                xml.append(contentsOf: chunk)
            }
        } catch {
            return .failure(Failure("word/document.xml cannot be unpacked (the ZIP archive is damaged); skipped"))
        }
        return .success(xml)
    }

    /// Whether ZIPFoundation will find an end-of-central-directory record: the last `PK 05 06`
    /// at least 22 bytes before the end, with its comment inside the file. ZIPFoundation 0.9.20
    /// leaks its open file when it throws for a missing record (found by the FuzzForms target),
    /// so that case is turned away here. This mirrors its own scan; the
    /// archive itself is read only by ZIPFoundation.
    static func hasEndRecord(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 22 else { return false }
        var at = bytes.count - 22
        while at >= 0 {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x05, bytes[at + 3] == 0x06 {
                let comment = Int(bytes[at + 20]) | Int(bytes[at + 21]) << 8
                return at + 22 + comment <= bytes.count
            }
            at -= 1
        }
        return false
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
