import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// What `kwic`, `freq` and `collocates` (docs/WORDS.md) share: the articles a `where` selects,
/// the segmented words, rounding and windows of rows.
extension Evaluator {
    /// Per issue, which articles the predicate selects; nil when there is none (all are).
    func articleSelection(_ predicate: Predicate?) throws -> [[Bool]]? {
        guard let predicate else { return nil }
        var selection = corpus.issues.map { [Bool](repeating: false, count: $0.articles.count) }
        for row in try matching(RowSource(corpus: corpus, target: .articles), predicate) {
            selection[row.issue][row.index] = true
        }
        return selection
    }

    /// The error a statement stops with on Ctrl-C (or its time limit).
    var interrupted: QueryError { QueryError(.interrupted, span: 0..<0) }

    /// The corpus's words, segmented now if this is the first use (stoppable like the rest).
    func wordTable() throws -> WordTable {
        guard let table = corpus.words.table(stoppingIf: isInterrupted, progress: progress) else { throw interrupted }
        return table
    }

    /// `x` to `places` decimals, as shares and scores are shown.
    static func rounded(_ x: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (x * scale).rounded() / scale
    }

    /// The rows `limit` and `offset` leave.
    func window<T>(_ rows: [T], _ limit: Int?, _ offset: Int?) -> ArraySlice<T> {
        rows[Self.window(count: rows.count, limit: limit, offset: offset)]
    }

    /// The indices of `count` rows that `limit` and `offset` leave. Any pair the parser
    /// accepts (up to Int.max each) is in range: nothing is added that could overflow
    /// (`limit 9223372036854775807 offset 1` trapped).
    public static func window(count: Int, limit: Int?, offset: Int?) -> Range<Int> {
        let start = min(count, max(0, offset ?? 0))
        let end = limit.map { min(count - start, max(0, $0)) + start } ?? count
        return start..<end
    }
}
