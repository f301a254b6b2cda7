import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// Reads one bulletin file's bytes into an `Issue` (FORMAT.md, all but "Figures").
///
/// One pass over the bytes: lines are found with `memchr`, trimmed and classified in place,
/// and only byte ranges are stored. Strings are made for the few things a diagnostic names.
public struct IssueReader {
    /// Lines longer than this are kept but reported.
    public static let longLineBytes = 1 << 20
    /// Files this large cannot be addressed by 32-bit ranges.
    public static let maxFileBytes = Int(Int32.max)
    /// After this many invalid UTF-8 reports in one file the rest are counted in one line.
    static let maxEncodingReports = 20

    /// The path shown in diagnostics.
    let path: String
    /// The issue id (file name without `.txt`).
    let id: String

    public init(path: String, id: String) {
        self.path = path
        self.id = id
    }

    /// The issue, or nil when the file cannot be used at all; and what was wrong with it.
    public func read(_ raw: [UInt8]) -> (Issue?, [Diagnostic]) { read(raw, encoding: nil) }

    /// A text file in any encoding TextDecoder knows; `encoding` names one to use for files
    /// that are neither valid UTF-8 nor marked with a BOM (`--encoding`).
    public func read(_ raw: [UInt8], encoding forced: String?) -> (Issue?, [Diagnostic]) {
        if raw.count >= Self.maxFileBytes {
            return (nil, [Diagnostic(.error, file: path, "file is \(raw.count) bytes; files of 2 GiB or more are not read")])
        }
        var diagnostics: [Diagnostic] = []
        let text: [UInt8], encoding: String
        var unchanged = 0
        switch TextDecoder.decode(raw, forced: forced) {
        case .failure(let reason):
            return (nil, [Diagnostic(.error, file: path, reason)])
        case .damagedUTF8:
            text = repairEncoding(raw, &diagnostics)
            encoding = "UTF-8"
        case .text(let bytes, let name, let warning, let clean):
            if let warning { diagnostics.append(Diagnostic(.warning, file: path, warning)) }
            text = bytes
            encoding = name
            unchanged = clean
        }
        return structure(TextNormaliser.normalise(text, unchanged: unchanged), encoding: encoding, format: "text", diagnostics)
    }

    /// The issue in UTF-8 `text` (already decoded and normalised), with what was found so far.
    func structure(_ text: [UInt8], encoding: String?, format: String, _ found: [Diagnostic]) -> (Issue?, [Diagnostic]) {
        var diagnostics = found
        var builder = Builder(path: path)
        text.withUnsafeBufferPointer { builder.scan($0) }
        diagnostics += builder.diagnostics

        let nameBytes = Array(id.utf8)
        let headerBytes = builder.header.map { Array(text[$0.lower..<$0.upper]) }
        let issue = Issue(
            id: id, path: path, text: text,
            date: DateFinder.date(in: nameBytes) ?? DateFinder.date(inLines: headerBytes),
            number: DateFinder.issueNumber(inLines: [nameBytes] + headerBytes),
            header: builder.header, sections: builder.sections,
            articles: builder.articles, blocks: builder.blocks,
            encoding: encoding, format: format)
        return (issue, diagnostics)
    }

    /// The section name when the trimmed line `p[s..<e]` is a marker line.
    static func markerName(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> ByteRange? {
        Builder.markerName(p, s, e)
    }

    /// The bytes with each maximal run of ill-formed UTF-8 replaced by one U+FFFD, and a
    /// warning for each run (file, line, column and byte offset within the line).
    func repairEncoding(_ raw: [UInt8], _ diagnostics: inout [Diagnostic]) -> [UInt8] {
        var badLength = 0
        let first = raw.withUnsafeBufferPointer { p in
            p.baseAddress.map { jb_utf8_find_invalid($0, p.count, &badLength) } ?? 0
        }
        if first == raw.count { return raw }

        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 16)
        var copied = 0, at = first, runs = 0
        var line = 1, lineStart = 0, counted = 0
        raw.withUnsafeBufferPointer { p in
            while at < p.count {
                // Extend to the maximal run of consecutive ill-formed parts.
                var runEnd = at + badLength
                while runEnd < p.count {
                    var next = 0
                    let offset = jb_utf8_find_invalid(p.baseAddress! + runEnd, p.count - runEnd, &next)
                    if offset != 0 { break }
                    runEnd += next
                }
                while counted < at {
                    if p[counted] == 0x0A { line += 1; lineStart = counted + 1 }
                    counted += 1
                }
                out.append(contentsOf: p[copied..<at])
                runs += 1
                if runs <= Self.maxEncodingReports {
                    // The column counts characters as repaired: an earlier run is one U+FFFD.
                    var outLineStart = out.count
                    while outLineStart > 0, out[outLineStart - 1] != 0x0A { outLineStart -= 1 }
                    let column = out[outLineStart...].count { $0 & 0xC0 != 0x80 } + 1
                    let shown = p[at..<min(runEnd, at + 4)].map { "0x" + String($0, radix: 16, uppercase: true) }
                    diagnostics.append(Diagnostic(.warning, file: path, line: line, column: column,
                        "invalid UTF-8 (\(shown.joined(separator: " "))\(runEnd - at > 4 ? " …" : "")) at byte \(at - lineStart) of the line; replaced with U+FFFD"))
                }
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                copied = runEnd
                if runEnd >= p.count { break }
                let rest = jb_utf8_find_invalid(p.baseAddress! + runEnd, p.count - runEnd, &badLength)
                at = runEnd + rest
            }
            out.append(contentsOf: p[copied..<p.count])
        }
        if runs > Self.maxEncodingReports {
            diagnostics.append(Diagnostic(.warning, file: path,
                "\(runs - Self.maxEncodingReports) more invalid UTF-8 sequences not listed (\(runs) in all)"))
        }
        return out
    }
}

/// The reader's state while it walks the lines of one file.
private struct Builder {
    let path: String
    var header: [ByteRange] = []
    var sections: [Section] = []
    var articles: [Article] = []
    var blocks: [Block] = []
    var diagnostics: [Diagnostic] = []

    /// The article being read, if any.
    var open: Article?
    /// Whether the open article is still in its title block.
    var inTitle = false
    /// Title of the open article for messages (made only when a message needs it).
    var sawMarker = false
    var sawContent = false

    init(path: String) { self.path = path }

    mutating func scan(_ p: UnsafeBufferPointer<UInt8>) {
        var lineStart = 0
        var lineNumber: Int32 = 0
        if p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { lineStart = 3 }
        while lineStart < p.count || (lineStart == p.count && lineNumber == 0) {
            lineNumber += 1
            let lineEnd: Int
            if let base = p.baseAddress, lineStart < p.count,
               let hit = memchr(base + lineStart, 0x0A, p.count - lineStart) {
                lineEnd = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            } else {
                lineEnd = p.count
            }
            line(p, lineStart, lineEnd, lineNumber)
            lineStart = lineEnd + 1
        }
        closeSection(p)
        if !sawMarker {
            diagnostics.append(Diagnostic(.warning, file: path,
                sawContent ? "no section marker; the file has no articles" : "empty file (no section marker)"))
            // Without a marker every line would be header: keep only the first as the title.
            if header.count > 1 { header = [header[0]] }
        }
    }

    private mutating func line(_ p: UnsafeBufferPointer<UInt8>, _ lineStart: Int, _ lineEnd: Int, _ number: Int32) {
        let (s, e) = UTF8Text.trim(p, lineStart, lineEnd)
        if e - s > IssueReader.longLineBytes {
            warn(p, lineStart, s, number, "line is \(e - s) bytes long (over 1 MB); kept")
        }
        guard e > s else { return }
        sawContent = true
        if let name = Self.markerName(p, s, e) {
            closeSection(p)
            sawMarker = true
            if name.isEmpty { warn(p, lineStart, s, number, "section marker without a name") }
            let n = articles.count
            sections.append(Section(name: name, ordinal: Int32(sections.count + 1), line: number,
                                    articles: Int32(n)..<Int32(n)))
            return
        }
        guard sawMarker else { header.append(ByteRange(s, e)); return }

        if open == nil {
            open = Article(section: Int32(sections.count - 1), blocks: Int32(blocks.count)..<Int32(blocks.count),
                           titleCount: 0, paragraphCount: 0, subheadingCount: 0, source: nil, line: number)
            inTitle = true
        }
        if let (openParen, content) = SourceParser.trailingSource(p, s, e) {
            let (rs, re) = UTF8Text.trim(p, s, openParen)
            if re == rs || !Self.isShort(p, rs, re) {
                if re > rs {
                    if inTitle && open!.titleCount == 0 { warnNoTitle(p, lineStart, s, number) }
                    append(.paragraph, ByteRange(rs, re), number)
                }
                open!.source = content
                closeArticle(p)
                return
            }
        }
        let short = Self.isShort(p, s, e)
        if inTitle {
            if short && open!.titleCount < 3 {
                append(.title, ByteRange(s, e), number)
                return
            }
            inTitle = false
            if !short && open!.titleCount == 0 { warnNoTitle(p, lineStart, s, number) }
        }
        append(short ? .subheading : .paragraph, ByteRange(s, e), number)
    }

    private mutating func append(_ kind: Block.Kind, _ range: ByteRange, _ number: Int32) {
        blocks.append(Block(range: range, line: number, kind: kind))
        switch kind {
        case .title: open!.titleCount += 1
        case .subheading: open!.subheadingCount += 1
        case .paragraph: open!.paragraphCount += 1
        }
    }

    private mutating func closeArticle(_ p: UnsafeBufferPointer<UInt8>) {
        guard var article = open else { return }
        article.blocks = article.blocks.lowerBound..<Int32(blocks.count)
        if article.source == nil {
            let what = article.titleCount > 0 ? "article「\(title(p, article))」" : "article"
            diagnostics.append(Diagnostic(.warning, file: path, line: Int(article.line), column: 1,
                "\(what) has no source; it runs to the end of its section"))
        }
        articles.append(article)
        sections[sections.count - 1].articles = sections[sections.count - 1].articles.lowerBound..<Int32(articles.count)
        open = nil
        inTitle = false
    }

    private mutating func closeSection(_ p: UnsafeBufferPointer<UInt8>) {
        closeArticle(p)
        guard let last = sections.last, last.articles.isEmpty else { return }
        let name = String(decoding: UnsafeBufferPointer(rebasing: p[last.name.lower..<last.name.upper]), as: UTF8.self)
        diagnostics.append(Diagnostic(.warning, file: path, line: Int(last.line), column: 1,
            "section '\(name)' has no articles"))
    }

    private func title(_ p: UnsafeBufferPointer<UInt8>, _ article: Article) -> String {
        let first = blocks[Int(article.blocks.lowerBound)].range
        return String(decoding: UnsafeBufferPointer(rebasing: p[first.lower..<first.upper]), as: UTF8.self)
    }

    private mutating func warnNoTitle(_ p: UnsafeBufferPointer<UInt8>, _ lineStart: Int, _ s: Int, _ number: Int32) {
        warn(p, lineStart, s, number, "article has no title: its first line is a paragraph")
    }

    private mutating func warn(_ p: UnsafeBufferPointer<UInt8>, _ lineStart: Int, _ s: Int, _ number: Int32, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: path, line: Int(number),
                                      column: UTF8Text.scalarCount(p, lineStart, s) + 1, message))
    }

    /// A short line: at most 40 characters and no sentence-final punctuation at the end.
    static func isShort(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        // 40 characters take at most 160 bytes; longer lines need no counting.
        guard e - s <= 160, UTF8Text.scalarCount(p, s, e) <= 40 else { return false }
        return !UTF8Text.endsSentence(p, s, e)
    }

    /// The section name when the trimmed line is a marker: `·`/`•`/`●` + name, or `【name】`.
    static func markerName(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> ByteRange? {
        var after: Int?
        if UTF8Text.hasBytes(p, at: s, end: e, "·") { after = s + 2 }
        else if UTF8Text.hasBytes(p, at: s, end: e, "•") || UTF8Text.hasBytes(p, at: s, end: e, "●") { after = s + 3 }
        if let after {
            let (ns, ne) = UTF8Text.trim(p, after, e)
            return ByteRange(ns, ne)
        }
        if UTF8Text.hasBytes(p, at: s, end: e, "【"), e - s >= 6, UTF8Text.hasBytes(p, at: e - 3, end: e, "】") {
            let (ns, ne) = UTF8Text.trim(p, s + 3, e - 3)
            // `【通知】…】` or a nested bracket is text, not a marker.
            for i in ns..<ne where UTF8Text.hasBytes(p, at: i, end: ne, "】") || UTF8Text.hasBytes(p, at: i, end: ne, "【") {
                return nil
            }
            return ByteRange(ns, ne)
        }
        return nil
    }
}
