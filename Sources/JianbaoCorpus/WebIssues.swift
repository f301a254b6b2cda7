/// Gathers per-article web pages into issues (FORMAT.md "Web pages"): one issue per folder
/// and date, id the date (`2024-03-15`, or `undated`), its articles in file order grouped
/// into one section per column in the order the columns first appear.
enum WebIssues {
    static func gather(_ articles: [WebArticle]) -> [(Issue, [Diagnostic])] {
        struct Key: Hashable { var folder: String; var date: String }
        var order: [Key] = []
        var groups: [Key: [WebArticle]] = [:]
        for article in articles {
            let key = Key(folder: article.folder, date: article.date?.description ?? "undated")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(article)
        }
        return order.map { key in issue(key.date, folder: key.folder, groups[key]!) }
    }

    /// The issue text of one date's pages, read by IssueReader like any bulletin; its
    /// diagnostics name the page each line came from instead of a line of the made-up text.
    static func issue(_ id: String, folder: String, _ articles: [WebArticle]) -> (Issue, [Diagnostic]) {
        var columns: [String] = []
        for article in articles where !columns.contains(article.column) { columns.append(article.column) }
        var lines: [String] = ["网页 \(id == "undated" ? "" : id)"]
        var pageOfLine: [String] = [""]
        for column in columns {
            lines.append("· " + column)
            pageOfLine.append(articles.first { $0.column == column }!.path)
            for article in articles where article.column == column {
                var text = [article.title] + article.paragraphs
                text.append("（\(article.source ?? "来源未注明")）")
                for line in text where !line.isEmpty {
                    lines.append(line)
                    pageOfLine.append(article.path)
                }
            }
        }
        let bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        let reader = IssueReader(path: folder, id: id)
        let (issue, found) = reader.structure(bytes, encoding: nil, format: "html-articles", [])
        let diagnostics = found.map { d -> Diagnostic in
            guard let line = d.line, line >= 1, line <= pageOfLine.count, !pageOfLine[line - 1].isEmpty else { return d }
            return Diagnostic(d.severity, file: pageOfLine[line - 1], d.message)
        }
        return (issue!, diagnostics)
    }
}
