import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// Swift Testing has an `Issue` type of its own; in these tests the word means a bulletin.
typealias Issue = JianbaoCorpus.Issue

let seedPath = TestPaths.seed

/// Reads text as one issue file named `name`.
func read(_ text: String, name: String = "t.txt") -> (Issue?, [Diagnostic]) {
    read(bytes: Array(text.utf8), name: name)
}

func read(bytes: [UInt8], name: String = "t.txt") -> (Issue?, [Diagnostic]) {
    IssueReader(path: name, id: PathExpander.issueID(fileName: name)).read(bytes)
}

/// One line per article: `section | title lines | sources | paragraphs | sub-headings`,
/// the shape of FORMAT.md's table.
func outline(_ issue: Issue) -> [String] {
    issue.articles.map { article in
        [issue.sectionName(Int(article.section)),
         issue.titleLines(of: article).joined(separator: " / "),
         issue.sources(of: article).joined(separator: "、"),
         String(article.paragraphCount),
         String(article.subheadingCount)].joined(separator: " | ")
    }
}

/// Diagnostics without the file name, for compact expectations.
func messages(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { d in
        var place = ""
        if let line = d.line { place = "\(line)" + (d.column.map { ":\($0)" } ?? "") + ": " }
        return place + d.severity.rawValue + ": " + d.message
    }
}
