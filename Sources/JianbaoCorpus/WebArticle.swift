/// One article saved from a news site as its own page (FORMAT.md "Web pages", shape 2), and
/// how pages are gathered into one issue per date.
struct WebArticle: Sendable {
    /// The page's path.
    var path: String
    /// The folder the page is in: pages are gathered per folder and date.
    var folder: String
    var date: BulletinDate?
    /// The site's column (栏目) when the page names it, else `网页`.
    var column: String
    var title: String
    var source: String?
    var paragraphs: [String]
    /// What was missing from the page, as warnings.
    var warnings: [Diagnostic]

    struct Problem: Error { var message: String }

    /// Labels that start the page's information line rather than its text.
    static let dateLabels = ["发布时间", "发布日期", "日期", "时间", "发文日期", "更新时间"]
    /// Lines that end the article's text on a page.
    static let endMarks = ["责任编辑", "【打印", "【关闭", "打印本页", "关闭窗口", "上一篇", "下一篇", "相关链接", "相关新闻", "相关文章", "扫一扫"]

    static func make(_ page: HtmlReader.Page, path: String) -> Result<WebArticle, Problem> {
        let lines = page.lines.filter { !$0.boilerplate || $0.crumb }
        // Title: the first <h1>, else the page title without the site's name after it.
        var titleIndex = lines.firstIndex { $0.tag == "h1" && !$0.crumb }
        var title = titleIndex.map { lines[$0].text } ?? page.meta("articletitle", "og:title") ?? page.title.map(stripSiteName) ?? ""
        if titleIndex == nil, !title.isEmpty {
            titleIndex = lines.firstIndex { $0.text == title && !$0.crumb }
        }
        title = title.trimmingSpaces
        let start = (titleIndex ?? -1) + 1

        var infoLines = Set<Int>()
        var date: BulletinDate?
        var source: String?
        for (i, line) in lines.enumerated() where i >= start - 1 && !line.crumb {
            let hasDate = dateLabels.contains { line.text.contains($0) }
            let hasSource = line.text.contains("来源：") || line.text.contains("来源:")
            guard hasDate || hasSource, line.text.count <= 120 else { continue }
            infoLines.insert(i)
            if date == nil { date = findDate(line.text) }
            if source == nil, hasSource { source = sourceText(line.text) }
        }
        if date == nil {
            date = page.meta("publishdate", "pubdate", "article:published_time", "firstpublishedtime", "date", "dc.date", "maketime").flatMap(findDate)
        }
        if source == nil { source = page.meta("contentsource", "source", "og:site_name", "sitename").map(\.trimmingSpaces) }

        var paragraphs: [String] = []
        for (i, line) in lines.enumerated() where i >= start && !infoLines.contains(i) && !line.crumb && !line.boilerplate {
            if endMarks.contains(where: { line.text.hasPrefix($0) }) { break }
            if line.tag == "h1" || line.text == title { continue }
            guard line.tag == "p" || line.tag == "div" || line.tag == "td" || line.tag == "pre" || line.tag == "blockquote" || line.tag == "body" || line.tag == "article" || line.tag == "section" else { continue }
            // A short line of a div is a link or a label, not a paragraph.
            if line.tag != "p" && line.text.count < 20 && !(line.text.last.map { "。！？；…".contains($0) } ?? false) { continue }
            paragraphs.append(line.text)
        }
        guard !paragraphs.isEmpty else {
            return .failure(Problem(message: "no article text found in this web page (no paragraphs after its title); skipped"))
        }
        let column = page.meta("columnname", "column", "category", "article:section").map(\.trimmingSpaces)
            ?? crumbColumn(lines) ?? "网页"
        var warnings: [Diagnostic] = []
        if title.isEmpty { warnings.append(Diagnostic(.warning, file: path, "web page has no title (<h1> or <title>)")) }
        if date == nil { warnings.append(Diagnostic(.warning, file: path, "no date found in the web page; it goes to the issue 'undated'")) }
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return .success(WebArticle(path: path, folder: folder.isEmpty ? "." : folder, date: date, column: column,
                                   title: title, source: source, paragraphs: paragraphs, warnings: warnings))
    }

    /// `标题_国务院国资委` → `标题`: the page title's first part before a site separator.
    static func stripSiteName(_ title: String) -> String {
        for separator in [" - ", "_", " | ", "｜", "－", "——"] {
            if let range = title.firstRange(of: separator) { return String(title[..<range.lowerBound]).trimmingSpaces }
        }
        return title
    }

    /// A date in a line, with `/` and `.` between numbers read as `-` (`2024/03/15`).
    static func findDate(_ text: String) -> BulletinDate? {
        let bytes = Array(text.utf8)
        var normal = bytes
        for i in normal.indices where (normal[i] == UInt8(ascii: "/") || normal[i] == UInt8(ascii: ".")) && i > 0 && i + 1 < normal.count
            && (0x30...0x39).contains(normal[i - 1]) && (0x30...0x39).contains(normal[i + 1]) {
            normal[i] = UInt8(ascii: "-")
        }
        // Single-digit months and days (`2024-3-5`) as two digits.
        let parts = String(decoding: normal, as: UTF8.self)
        return DateFinder.date(in: Array(padded(parts).utf8))
    }

    /// `2024-3-5` → `2024-03-05`, leaving other text alone.
    static func padded(_ text: String) -> String {
        var out = ""
        var digits = ""
        var previous: Character = " "
        for c in text + " " {
            if c.isASCII && c.isNumber { digits.append(c); continue }
            if !digits.isEmpty {
                out += digits.count == 1 && (c == "-" || previous == "-") ? "0" + digits : digits
                previous = digits.last!
                digits = ""
            }
            out.append(c)
            previous = c
        }
        return String(out.dropLast())
    }

    /// The text after `来源：` up to the next label or a run of spaces.
    static func sourceText(_ line: String) -> String? {
        guard let range = line.firstRange(of: "来源：") ?? line.firstRange(of: "来源:") else { return nil }
        var rest = String(line[range.upperBound...]).trimmingSpaces
        for stop in ["  ", "\u{3000}", " 作者", "作者：", "发布时间", "日期", "时间", "字号", "浏览", "点击", "【", "|", "编辑"] {
            if let hit = rest.firstRange(of: stop) { rest = String(rest[..<hit.lowerBound]) }
        }
        rest = rest.trimmingSpaces
        return rest.isEmpty ? nil : rest
    }

    /// The last part of a breadcrumb (`首页 > 国资动态 > 企业动态`) that is not the title.
    static func crumbColumn(_ lines: [HtmlReader.Line]) -> String? {
        let crumb = lines.first { $0.crumb } ?? lines.first { $0.text.hasPrefix("当前位置") || $0.text.hasPrefix("您的位置") || $0.text.hasPrefix("您现在的位置") }
        guard let crumb else { return nil }
        var text = crumb.text
        for label in ["当前位置：", "当前位置:", "您的位置：", "您的位置:", "您现在的位置：", "您现在的位置:", "当前位置"] where text.hasPrefix(label) {
            text = String(text.dropFirst(label.count))
        }
        let parts = text.split(whereSeparator: { ">›»＞/|".contains($0) }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty && $0 != "首页" && $0 != "正文" }
        return parts.last
    }
}
