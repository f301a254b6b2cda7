import Dispatch
import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// A predicate compiled for one statement over one corpus, evaluated an issue at a time.
///
/// `contains` and `matches` on text held as paragraph or title blocks (`body`, `title`,
/// paragraph and sentence `text`) are answered ahead, by marking the blocks that hit in one
/// pass per issue buffer on all cores; section-name tests are answered once per section.
/// Then each node of the predicate yields one verdict per row of an issue, combined
/// elementwise; `and` and `or` tell their right side which rows are still undecided, so a
/// costly test runs only where it can change the outcome.
final class RowFilter: @unchecked Sendable {
    let source: RowSource
    let root: Node

    indirect enum Node {
        case and(Node, Node)
        case or(Node, Node)
        case not(Node)
        case leaf(Leaf)
    }

    /// One test, with its answers worked out ahead where the field allows.
    final class Leaf {
        let field: Field
        let test: Test
        let span: Range<Int>
        /// Per block of the corpus (paragraph and sentence rows, at `blockBase[issue] + block`)
        /// or per article (article rows, at `articleBase[issue] + index`).
        let hits: [Bool]?
        /// Per section of the corpus (at `sectionBase[issue] + section`): whether its name passes.
        let sectionHits: [Bool]?

        init(field: Field, test: Test, span: Range<Int>, hits: [Bool]?, sectionHits: [Bool]?) {
            self.field = field
            self.test = test
            self.span = span
            self.hits = hits
            self.sectionHits = sectionHits
        }
    }

    init(_ source: RowSource, _ predicate: Predicate, isInterrupted: @escaping @Sendable () -> Bool) throws(QueryError) {
        self.source = source
        root = try Self.compile(predicate, source, isInterrupted)
    }

    static func compile(_ p: Predicate, _ source: RowSource, _ stop: @escaping @Sendable () -> Bool) throws(QueryError) -> Node {
        switch p {
        case .and(let l, let r): return .and(try compile(l, source, stop), try compile(r, source, stop))
        case .or(let l, let r): return .or(try compile(l, source, stop), try compile(r, source, stop))
        case .not(let c): return .not(try compile(c, source, stop))
        case .test(let field, let test, let span):
            var hits: [Bool]?, sectionHits: [Bool]?
            if let kind = blockKind(source.target, field.field, test) {
                hits = try BlockSearch.hits(in: source.corpus, kind: kind, test: test, span: span,
                                            perArticle: source.target == .articles, isInterrupted: stop)
            } else if source.namesSection(field.field) {
                sectionHits = try BlockSearch.sectionHits(in: source.corpus, test: test, span: span)
            }
            return .leaf(Leaf(field: field.field, test: test, span: span, hits: hits, sectionHits: sectionHits))
        }
    }

    /// Which blocks hold the field's text, when a test on it can be answered by blocks.
    static func blockKind(_ target: Target, _ field: Field, _ test: Test) -> Block.Kind? {
        switch test {
        case .textContains(let needle) where !needle.contains(0x0A) && !(field == .title && needle.contains(0x20)):
            break
        case .textMatches:
            if field == .title { return nil }
        default:
            return nil
        }
        switch (target, field) {
        case (.articles, .body), (.paragraphs, .text), (.sentences, .text): return .paragraph
        case (.articles, .title): return .title
        default: return nil
        }
    }

    /// The verdict for each of `rows` (the rows of one group, in order).
    func verdicts(_ rows: [RowRef]) throws(QueryError) -> [Bool] {
        try evaluate(root, rows, nil)
    }

    private func evaluate(_ node: Node, _ rows: [RowRef], _ active: [Bool]?) throws(QueryError) -> [Bool] {
        switch node {
        case .and(let l, let r):
            let left = try evaluate(l, rows, active)
            let right = try evaluate(r, rows, left)
            return zip(left, right).map { $0 && $1 }
        case .or(let l, let r):
            let left = try evaluate(l, rows, active)
            let undecided = active.map { zip($0, left).map { $0 && !$1 } } ?? left.map { !$0 }
            let right = try evaluate(r, rows, undecided)
            return zip(left, right).map { $0 || $1 }
        case .not(let c):
            return try evaluate(c, rows, active).map { !$0 }
        case .leaf(let leaf):
            do {
                return try test(leaf, rows, active)
            } catch {
                throw QueryError(.patternTooComplex, span: leaf.span)
            }
        }
    }

    private func test(_ leaf: Leaf, _ rows: [RowRef], _ active: [Bool]?) throws(Regex.LimitReached) -> [Bool] {
        let corpus = source.corpus
        if let hits = leaf.hits {
            switch source.target {
            case .articles:
                let base = corpus.articleBase
                return rows.map { hits[base[$0.issue] + $0.index] }
            case .paragraphs:
                let base = corpus.blockBase
                return rows.map { hits[base[$0.issue] + $0.block] }
            default:
                // A sentence: its paragraph must hit, then the sentence itself.
                let base = corpus.blockBase
                var out = [Bool](repeating: false, count: rows.count)
                for (k, row) in rows.enumerated() where (active?[k] ?? true) && hits[base[row.issue] + row.block] {
                    let text = corpus.issues[row.issue].text
                    out[k] = try text.withUnsafeBufferPointer { p throws(Regex.LimitReached) in
                        try Matching.bytes(p, row.range.lower, row.range.upper, leaf.test, verifying: text.isMapped)
                    }
                }
                return out
            }
        }
        if let sectionHits = leaf.sectionHits {
            let base = corpus.sectionBase
            if source.target == .sections { return rows.map { sectionHits[base[$0.issue] + $0.index] } }
            let issues = corpus.issues
            return rows.map { sectionHits[base[$0.issue] + Int(issues[$0.issue].articles[$0.index].section)] }
        }
        var out = [Bool](repeating: false, count: rows.count)
        if source.target == .figures, leaf.field == .subject || leaf.field == .metric {
            // Interned: each distinct subject or metric is tested once (`metric 营业收入`
            // compared every figure's metric with the names it stands for).
            let columns = corpus.figures.columns
            let codes = leaf.field == .subject ? columns.subject : columns.metric
            var verdicts = [Int8](repeating: -1, count: (leaf.field == .subject ? columns.subjects.count : columns.metrics.count) + 1)
            for (k, row) in rows.enumerated() where active?[k] ?? true {
                let code = Int(codes[columns.row(issue: row.issue, index: row.index)]) + 1
                if verdicts[code] < 0 { verdicts[code] = try Matching.value(source.value(leaf.field, row), leaf.test) ? 1 : 0 }
                out[k] = verdicts[code] == 1
            }
            return out
        }
        if source.target == .figures, leaf.field == .unit || leaf.field == .base {
            // A figure's unit and base follow from its unit code: each code is tested once
            // (`where base = 元` over 800,000 figures compared 800,000 strings).
            let columns = source.corpus.figures.columns
            let mask: UInt32 = leaf.field == .base ? 0xFFFF : .max
            var verdicts: [UInt32: Bool] = [:]
            var lastCode = UInt32.max, lastVerdict = false
            for (k, row) in rows.enumerated() where active?[k] ?? true {
                let code = columns.unitCode[columns.row(issue: row.issue, index: row.index)] & mask
                // Runs of one unit are the rule: the last one answers without a lookup.
                if code == lastCode { out[k] = lastVerdict; continue }
                lastCode = code
                if let known = verdicts[code] { out[k] = known; lastVerdict = known; continue }
                let verdict = try Matching.value(source.value(leaf.field, row), leaf.test)
                verdicts[code] = verdict
                lastVerdict = verdict
                out[k] = verdict
            }
            return out
        }
        for (k, row) in rows.enumerated() where active?[k] ?? true {
            out[k] = try Matching.value(source.value(leaf.field, row), leaf.test)
        }
        return out
    }
}

/// Answers `contains` and `matches` ahead of the row loop, a chunk of issues per task on all
/// cores, into flat arrays over the whole corpus.
enum BlockSearch {
    /// Per block of the corpus whether a block of `kind` passes, or (with `perArticle`) per
    /// article whether any of its blocks does.
    static func hits(in corpus: Corpus, kind: Block.Kind, test: Test, span: Range<Int>, perArticle: Bool,
                     isInterrupted: @escaping @Sendable () -> Bool) throws(QueryError) -> [Bool] {
        let chunks = corpus.issueChunks()
        let failed = FailureFlag()
        let result = Parallel.fill(count: perArticle ? corpus.articleCount : corpus.blockCount,
                                               repeating: false, chunks: chunks.count) { c, out in
            for i in chunks[c] {
                if isInterrupted() || failed.isSet { return }
                let issue = corpus.issues[i]
                guard let marks = try? issueHits(issue, kind: kind, test: test) else { failed.set(); return }
                if perArticle {
                    let base = corpus.articleBase[i]
                    for (a, article) in issue.articles.enumerated() where article.blocks.contains(where: { marks[Int($0)] }) {
                        out[base + a] = true
                    }
                } else {
                    let base = corpus.blockBase[i]
                    for (b, hit) in marks.enumerated() where hit { out[base + b] = true }
                }
            }
        }
        if isInterrupted() { throw QueryError(.interrupted, span: 0..<0) }
        try check(failed, span)
        return result
    }

    /// Per section of the corpus: whether the section name passes the test.
    static func sectionHits(in corpus: Corpus, test: Test, span: Range<Int>) throws(QueryError) -> [Bool] {
        let chunks = corpus.issueChunks()
        let failed = FailureFlag()
        let result = Parallel.fill(count: corpus.sectionCount, repeating: false, chunks: chunks.count) { c, out in
            for i in chunks[c] {
                let issue = corpus.issues[i]
                let base = corpus.sectionBase[i]
                let ok: Bool? = try? issue.text.withUnsafeBufferPointer { p throws(Regex.LimitReached) in
                    for (s, section) in issue.sections.enumerated() {
                        out[base + s] = try Matching.bytes(p, section.name.lower, section.name.upper, test, verifying: issue.text.isMapped)
                    }
                    return true
                }
                if ok == nil { failed.set(); return }
            }
        }
        try check(failed, span)
        return result
    }

    private static func check(_ failed: FailureFlag, _ span: Range<Int>) throws(QueryError) {
        if failed.isSet { throw QueryError(.patternTooComplex, span: span) }
    }

    static func issueHits(_ issue: Issue, kind: Block.Kind, test: Test) throws(Regex.LimitReached) -> [Bool] {
        var marks = [Bool](repeating: false, count: issue.blocks.count)
        let blocks = issue.blocks
        let verifying = issue.text.isMapped
        try issue.text.withUnsafeBufferPointer { p throws(Regex.LimitReached) in
            switch test {
            case .textContains(let needle):
                scan(p, blocks, kind, needle) { marks[$0] = true }
            case .textMatches(let regex):
                if let literal = regex.requiredLiteral {
                    var candidates: [Int] = []
                    scan(p, blocks, kind, literal) { candidates.append($0) }
                    for b in candidates where try regex.firstMatch(in: p, blocks[b].range.lower, blocks[b].range.upper, verifying: verifying) != nil {
                        marks[b] = true
                    }
                } else {
                    for (b, block) in blocks.enumerated() where block.kind == kind {
                        if try regex.firstMatch(in: p, block.range.lower, block.range.upper, verifying: verifying) != nil { marks[b] = true }
                    }
                }
            default:
                break
            }
        }
        return marks
    }

    /// Calls `mark` once for each block of `kind` whose range contains `needle`: memmem over
    /// the whole buffer, jumping to the end of a block once it is marked.
    static func scan(_ p: UnsafeBufferPointer<UInt8>, _ blocks: [Block], _ kind: Block.Kind, _ needle: [UInt8], _ mark: (Int) -> Void) {
        guard let base = p.baseAddress, !needle.isEmpty, !blocks.isEmpty else {
            if needle.isEmpty { for (b, block) in blocks.enumerated() where block.kind == kind { mark(b) } }
            return
        }
        var position = 0
        needle.withUnsafeBufferPointer { n in
            while position < p.count {
                let found = jb_find(base + position, p.count - position, n.baseAddress, n.count)
                if found < 0 { return }
                let hit = position + found
                // The last block starting at or before the hit.
                var lo = 0, hi = blocks.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if blocks[mid].range.lower <= hit { lo = mid } else { hi = mid - 1 }
                }
                let block = blocks[lo]
                if block.range.lower <= hit, hit + n.count <= block.range.upper, block.kind == kind {
                    mark(lo)
                    position = block.range.upper
                } else {
                    position = hit + 1
                }
            }
        }
    }
}

/// The tests themselves, on bytes or on values.
enum Matching {
    /// Whether `p[start..<end]` passes `test`; `verifying`: the bytes may not be UTF-8
    /// (`Regex.firstMatch`).
    static func bytes(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ test: Test, verifying: Bool) throws(Regex.LimitReached) -> Bool {
        switch test {
        case .textContains(let needle):
            guard let base = p.baseAddress else { return needle.isEmpty }
            return needle.withUnsafeBufferPointer { n in jb_find(base + start, end - start, n.baseAddress, n.count) >= 0 }
        case .textMatches(let regex):
            return try regex.matches(p, start, end, verifying: verifying)
        case .textIn(let texts):
            guard let base = p.baseAddress else { return texts.contains("") }
            for text in texts {
                var text = text
                let equal = text.withUTF8 { t in t.count == end - start && (t.count == 0 || memcmp(t.baseAddress!, base + start, t.count) == 0) }
                if equal { return true }
            }
            return false
        default:
            return try value(.text(String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)), test)
        }
    }

    static func value(_ value: Value, _ test: Test) throws(Regex.LimitReached) -> Bool {
        switch value {
        case .null:
            return false
        case .list(let items):
            for item in items where try text(item, test) { return true }
            return false
        case .text(let s):
            return try text(s, test)
        case .slice(let s):
            return try text(s.string, test)
        case .integer(let n):
            return number(Double(n), test)
        case .number(let x), .amount(let x, _):
            return number(x, test)
        case .date(let d):
            switch test {
            case .dateIn(let values): return values.contains { d.hasPrefix($0) }
            case .dateOrder(let op, let v): return ordered(compareAtSharedPrecision(d, v), op)
            default: return false
            }
        }
    }

    static func number(_ x: Double, _ test: Test) -> Bool {
        switch test {
        case .numberIn(let values): return values.contains(x)
        case .numberOrder(let op, let v): return ordered(x < v ? -1 : x > v ? 1 : 0, op)
        default: return false
        }
    }

    static func text(_ s: String, _ test: Test) throws(Regex.LimitReached) -> Bool {
        switch test {
        case .textIn(let texts): return texts.contains(s)
        case .textOrder(let op, let v): return ordered(s < v ? -1 : s > v ? 1 : 0, op)
        case .textContains(let needle):
            var s = s
            return s.withUTF8 { p in
                guard let base = p.baseAddress else { return needle.isEmpty }
                return needle.withUnsafeBufferPointer { n in jb_find(base, p.count, n.baseAddress, n.count) >= 0 }
            }
        case .textMatches(let regex): return try regex.matches(s)
        default: return false
        }
    }

    static func ordered(_ comparison: Int, _ op: Comparison) -> Bool {
        switch op {
        case .less: return comparison < 0
        case .lessOrEqual: return comparison <= 0
        case .greater: return comparison > 0
        case .greaterOrEqual: return comparison >= 0
        default: return false
        }
    }

    /// Compares two dates at the precision both have: 2024-03-15 is neither before nor after
    /// 2024-03, so `date <= 2024-03` includes all of March and `date < 2024-03` none of it.
    static func compareAtSharedPrecision(_ a: BulletinDate, _ b: BulletinDate) -> Int {
        if a.year != b.year { return a.year < b.year ? -1 : 1 }
        guard let am = a.month, let bm = b.month else { return 0 }
        if am != bm { return am < bm ? -1 : 1 }
        guard let ad = a.day, let bd = b.day else { return 0 }
        return ad == bd ? 0 : ad < bd ? -1 : 1
    }
}

/// Set by any worker that met the regex limit; read after they all finish.
final class FailureFlag: @unchecked Sendable {
    private var flag: Int32 = 0
    var isSet: Bool { flag != 0 }
    /// Plain stores of the same value by several threads: a benign race on one word, read
    /// only after the workers have joined.
    func set() { flag = 1 }
}
