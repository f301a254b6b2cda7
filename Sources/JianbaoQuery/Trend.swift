import JianbaoCorpus
import CBytes

/// What `trend … by` puts one row per.
public enum TrendKey: String, CaseIterable, Sendable {
    case year, month, issue, section, source
}

/// `trend` after resolution: the search as `kwic` makes it, and the key.
public struct TrendPlan: Sendable {
    /// The occurrences counted, found exactly as `kwic` finds them (no context).
    public var search: KwicPlan
    public var key: TrendKey
}

extension Resolver {
    /// `trend X [where …] by KEY`: X as `kwic` reads it.
    mutating func resolveTrend(_ t: TrendStatement) throws(QueryError) -> Plan {
        guard let key = TrendKey(rawValue: t.by.text.lowercased()) else {
            throw QueryError(.trendKey(t.by.text, suggestion: Suggest.nearest(t.by.text, in: TrendKey.allCases.map(\.rawValue))),
                             span: t.by.span)
        }
        let kwic = KwicStatement(pattern: t.pattern, isRegex: t.isRegex, condition: t.condition, width: 0)
        guard case .kwic(let search) = try resolveKwic(kwic) else { preconditionFailure("kwic resolves to kwic") }
        return .trend(TrendPlan(search: search, key: key))
    }
}

extension Evaluator {
    /// One row per key in key order (dates chronologically, issues by date then load order,
    /// names in code-point order): occurrences, articles with one, characters of paragraph
    /// text, and occurrences per 10,000 characters last, for `chart`. Every key of the
    /// selected articles has a row, with 0 where the word never occurs.
    func runTrend(_ plan: TrendPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let selection = try articleSelection(plan.search.predicate)
        let chunks = corpus.issueChunks()
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        // Per issue of the chunk, per article: occurrences and characters (-1: not selected).
        let perChunk = Parallel.map(chunks.count) { c -> Result<[[(hits: Int, chars: Int)]], QueryError> in
            let chunk = chunks[c]
            var tallies: [[(hits: Int, chars: Int)]] = chunk.map { i in
                let issue = corpus.issues[i]
                return issue.articles.enumerated().map { a, article in
                    selection?[i][a] ?? true ? (0, issue.characterCount(of: article)) : (0, -1)
                }
            }
            return Self.eachKwicHit(corpus, chunk, selection, plan.search, isInterrupted) { i, _, hit in
                tallies[i - chunk.lowerBound][Int(hit.article)].hits += 1
            }.map { tallies }
        }
        struct Row {
            var count = 0, articles = 0, chars = 0

            mutating func add(hits: Int, chars more: Int) {
                count += hits
                articles += hits > 0 ? 1 : 0
                chars += more
            }
        }
        var rows: [Value: Row] = [:]
        // Year, month and issue are the issue's: its articles are added up first, one key each.
        let perIssue = plan.key == .year || plan.key == .month || plan.key == .issue
        // Where each issue key first stands, for ordering issues by date then load order.
        var issueOrder: [Value: (date: BulletinDate?, index: Int)] = [:]
        for (c, result) in perChunk.enumerated() {
            let tallies = try result.get()
            for (offset, articles) in tallies.enumerated() {
                let i = chunks[c].lowerBound + offset
                let issue = corpus.issues[i]
                if perIssue {
                    var total = Row(), selected = false
                    for tally in articles where tally.chars >= 0 {
                        total.add(hits: tally.hits, chars: tally.chars)
                        selected = true
                    }
                    guard selected else { continue }
                    let key = keys(plan.key, i, 0)[0]
                    rows[key, default: Row()].count += total.count
                    rows[key, default: Row()].articles += total.articles
                    rows[key, default: Row()].chars += total.chars
                    if plan.key == .issue, issueOrder[key] == nil { issueOrder[key] = (issue.date, i) }
                    continue
                }
                for (a, tally) in articles.enumerated() where tally.chars >= 0 {
                    for key in keys(plan.key, i, a) { rows[key, default: Row()].add(hits: tally.hits, chars: tally.chars) }
                }
            }
        }
        var ordered = Array(rows.keys)
        if plan.key == .issue {
            ordered.sort { a, b in
                let (x, y) = (issueOrder[a]!, issueOrder[b]!)
                switch (x.date, y.date) {
                case let (d?, e?) where d != e: return d < e
                case (nil, _?): return false
                case (_?, nil): return true
                default: return x.index < y.index
                }
            }
        } else {
            ordered.sort { ValueOrder.compare($0, $1) < 0 }
        }
        try formatter.begin(columns: [plan.key.rawValue, "count", "articles", "chars", "per_10k"], to: out)
        for key in ordered {
            let row = rows[key]!
            let rate: Value = row.chars > 0 ? .number(Self.rounded(Double(row.count) * 10_000 / Double(row.chars), 2)) : .null
            try formatter.row([key, .integer(row.count), .integer(row.articles), .integer(row.chars), rate], to: out)
        }
        try formatter.end(to: out)
    }

    /// The keys article `a` of issue `i` falls under: one, or for `source` each organisation
    /// it names (none: the absent key).
    private func keys(_ key: TrendKey, _ i: Int, _ a: Int) -> [Value] {
        let issue = corpus.issues[i]
        switch key {
        case .year: return [issue.date.map { .integer($0.year) } ?? .null]
        case .month:
            guard let date = issue.date, let month = date.month else { return [.null] }
            return [.date(BulletinDate(year: date.year, month: month))]
        case .issue: return [.text(issue.id)]
        case .section: return [.text(issue.sectionName(Int(issue.articles[a].section)))]
        case .source:
            let names = Set(issue.sources(of: issue.articles[a]))
            return names.isEmpty ? [.null] : names.map { .text($0) }
        }
    }
}
