import CLoader

/// Reads a web page (FORMAT.md "Web pages") with libxml2's HTML parser (CMarkup, in
/// libJianbaoForms.so, opened on the first page): a whole
/// issue saved as one page reads like a text issue; a page of one article becomes a
/// `WebArticle` that the loader gathers with the other pages of its date.
struct HtmlReader {
    /// The path shown in diagnostics.
    let path: String
    /// An encoding named by the user (`--encoding`); it beats the page's own declaration.
    let encoding: String?

    /// One line of the page's text, from CMarkup's records.
    struct Line {
        /// The innermost block element (`p`, `div`, `h1` …).
        var tag: Substring
        /// Inside navigation, header, footer or the like.
        var boilerplate: Bool
        /// Inside a breadcrumb ("当前位置").
        var crumb: Bool
        var text: String
    }

    /// What CMarkup found in a page.
    struct Page {
        var metas: [(name: String, content: String)] = []
        var title: String?
        var lines: [Line] = []

        func meta(_ names: String...) -> String? {
            for name in names {
                if let hit = metas.first(where: { $0.name == name && !$0.content.isEmpty }) { return hit.content }
            }
            return nil
        }
    }

    func read(_ bytes: [UInt8], reader: IssueReader) -> DocumentReader.Result {
        if let why = FormsLibrary.unavailable {
            return .issue(nil, [Diagnostic(.error, file: path, FormsLibrary.missing("web pages", why))])
        }
        var diagnostics: [Diagnostic] = []
        guard let (utf8, charset) = decode(bytes, &diagnostics) else { return .issue(nil, diagnostics) }
        if charset != "UTF-8" { diagnostics.append(Diagnostic(.note, file: path, "read as \(charset)")) }
        guard let page = parse(utf8) else {
            return .issue(nil, diagnostics + [Diagnostic(.error, file: path, "not a web page libxml2 can parse; skipped")])
        }
        let body = page.lines.filter { !$0.boilerplate }
        let isWholeIssue = body.contains { line in
            let bytes = Array(line.text.utf8)
            return bytes.withUnsafeBufferPointer { p in
                let (s, e) = UTF8Text.trim(p, 0, p.count)
                return e > s && IssueReader.markerName(p, s, e) != nil
            }
        }
        if isWholeIssue {
            var text: [UInt8] = []
            for line in body {
                // Table cells of a row read as one line, like a Word table.
                text += Array(line.text.utf8)
                text.append(0x0A)
            }
            let (issue, found) = reader.structure(text, encoding: charset, format: "html", diagnostics)
            return .issue(issue, found)
        }
        switch WebArticle.make(page, path: path) {
        case .success(let article): return .webArticle(article, diagnostics + article.warnings)
        case .failure(let problem): return .webArticle(nil, diagnostics + [Diagnostic(.error, file: path, problem.message)])
        }
    }

    /// The page as UTF-8 and the charset used: the BOM, else `--encoding`, else the page's
    /// declaration (`gb2312` and `gbk` read as GB18030), else detection.
    func decode(_ bytes: [UInt8], _ diagnostics: inout [Diagnostic]) -> ([UInt8], String)? {
        var declared: String?
        if TextDecoder.bom(bytes) == nil, encoding == nil {
            var name = [CChar](repeating: 0, count: 64)
            let found = bytes.withUnsafeBufferPointer { jb_forms_loaded_html_declared_charset($0.baseAddress, $0.count, &name, 64) }
            if found == 0 {
                declared = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        if let declared {
            let converter = TextDecoder.converterName(declared)
            if converter.lowercased() == "utf-8" || converter.lowercased() == "utf8" {
                if case .text(let text, "UTF-8", _, _) = TextDecoder.decode(bytes) { return (text, "UTF-8") }
                diagnostics.append(Diagnostic(.warning, file: path, "the page declares charset \(declared) but is not UTF-8; its encoding was detected instead"))
            } else if TextDecoder.isKnown(converter), let (text, errors) = TextDecoder.convertCounting(bytes, from: converter) {
                if errors > 0 {
                    diagnostics.append(Diagnostic(.warning, file: path, "\(counted(errors, "byte sequence")) not valid in \(TextDecoder.canonicalName(converter)) (declared \(declared)) replaced with U+FFFD"))
                }
                return (text, TextDecoder.canonicalName(converter))
            } else {
                diagnostics.append(Diagnostic(.warning, file: path, "unknown charset '\(declared)' declared; the encoding was detected instead"))
            }
        }
        switch TextDecoder.decode(bytes, forced: encoding) {
        case .failure(let reason):
            diagnostics.append(Diagnostic(.error, file: path, reason))
            return nil
        case .damagedUTF8:
            return (IssueReader(path: path, id: "").repairEncoding(bytes, &diagnostics), "UTF-8")
        case .text(let text, let name, let warning, _):
            if let warning { diagnostics.append(Diagnostic(.warning, file: path, warning)) }
            return (text, name)
        }
    }

    /// CMarkup's records of the page, or nil when libxml2 gives up.
    func parse(_ utf8: [UInt8]) -> Page? {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = utf8.withUnsafeBufferPointer { jb_forms_loaded_html_records($0.baseAddress, $0.count, &out, &length) }
        defer { jb_forms_loaded_free(out) }
        guard status == 0 else { return nil }
        let records = out.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
        var page = Page()
        for record in records.split(separator: "\n") {
            // Normalised field by field after parsing: entities such as &nbsp; become characters
            // only then, and a form feed turned into a line end must not split a record.
            let fields = record.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false).map { field in
                Substring(String(decoding: TextNormaliser.normalise(Array(field.utf8)).map { $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self))
            }
            switch fields.first {
            case "m" where fields.count == 3:
                page.metas.append((String(fields[1]), String(fields[2]).trimmingSpaces))
            case "T" where fields.count >= 2:
                if page.title == nil { page.title = fields[1...].joined(separator: " ").trimmingSpaces }
            case let tag? where fields.count == 3:
                let text = String(fields[2]).trimmingSpaces
                if !text.isEmpty {
                    page.lines.append(Line(tag: tag, boilerplate: fields[1].contains("x"), crumb: fields[1].contains("c"), text: text))
                }
            default:
                continue
            }
        }
        return page
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and U+3000.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
