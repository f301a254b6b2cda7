import JianbaoCorpus

/// Runs checked plans over the corpus and streams the rows to a formatter.
public struct Evaluator {
    let corpus: Corpus

    public init(corpus: Corpus) { self.corpus = corpus }

    public func run(_ plan: Plan, formatter: inout any ResultFormatter, to out: Output) throws(OutputClosed) {
        switch plan {
        case .select(let target, let fields):
            let source = RowSource(corpus: corpus, target: target)
            try formatter.begin(columns: fields.map(\.name), to: out)
            var failure: OutputClosed?
            let fieldIDs = fields.map(\.field)
            let f = formatter
            source.forEach { row in
                do throws(OutputClosed) {
                    try f.row(fieldIDs.map { source.value($0, row) }, to: out)
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            try formatter.end(to: out)
        case .count(let target):
            try formatter.begin(columns: ["count"], to: out)
            try formatter.row([.integer(RowSource(corpus: corpus, target: target).count())], to: out)
            try formatter.end(to: out)
        case .show(let issueIndex, let articleIndex, let id):
            let issue = corpus.issues[issueIndex]
            let article = issue.articles[articleIndex]
            let body = issue.blocks[Int(article.blocks.lowerBound)..<Int(article.blocks.upperBound)]
                .filter { $0.kind != .title }
                .map { (kind: $0.kind, text: issue.string($0.range)) }
            let document = ArticleDocument(
                id: id, issue: issue.id, date: issue.date, section: issue.sectionName(Int(article.section)),
                titleLines: issue.titleLines(of: article), body: body, sources: issue.sources(of: article))
            try formatter.document(document, to: out)
        }
    }
}
