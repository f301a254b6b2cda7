import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// `kwic`, `freq` and `collocates` (docs/WORDS.md): the corpus-linguistics statements.
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

    var interrupted: QueryError { QueryError(.interrupted, span: 0..<0) }

    /// The corpus's words, segmented now if this is the first use (stoppable like the rest).
    func wordTable() throws -> WordTable {
        guard let table = corpus.words.table(stoppingIf: isInterrupted) else { throw interrupted }
        return table
    }

    // MARK: - kwic

    /// One occurrence: the match and its context, as byte offsets into the issue's text.
    struct KwicHit {
        var article: Int32
        var left: Int32, start: Int32, end: Int32, right: Int32
    }

    /// Rows in corpus order, found a few chunks of issues at a time on all cores, so that
    /// `limit` stops the search early and nothing but one batch is held. Formats whose rows
    /// stand alone (tsv, csv) are encoded on the cores too when every row is wanted.
    func runKwic(_ plan: KwicPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let selection = try articleSelection(plan.predicate)
        let chunks = corpus.issueChunks()
        let batchSize = CorpusLoader.coreCount * 2
        try formatter.begin(columns: ["article", "left", "match", "right"], rightAligned: [1], to: out)
        if plan.limit == nil, plan.offset == nil, let encoder = formatter.rawEncoder {
            // One buffer per chunk of a batch, kept from batch to batch: fresh ones would cost
            // a page fault every 4 KiB.
            let buffers = (0..<batchSize).map { _ in ByteBuffer() }
            for start in stride(from: 0, to: chunks.count, by: batchSize) {
                if isInterrupted() { throw interrupted }
                let batch = Array(chunks[start..<min(chunks.count, start + batchSize)])
                try encodeKwic(plan, batch, selection, encoder, buffers, to: out)
            }
        } else {
            var skipped = 0, written = 0
            batches: for start in stride(from: 0, to: chunks.count, by: batchSize) {
                if isInterrupted() { throw interrupted }
                for (i, hit) in try kwicHits(plan, Array(chunks[start..<min(chunks.count, start + batchSize)]), selection) {
                    if let limit = plan.limit, written >= limit { break batches }
                    if skipped < plan.offset ?? 0 { skipped += 1; continue }
                    let issue = corpus.issues[i]
                    func slice(_ a: Int32, _ b: Int32) -> Value { .slice(TextSlice(issue, ByteRange(Int(a), Int(b)))) }
                    try formatter.row([.integer(corpus.articleID(issue: i, article: Int(hit.article))),
                                       slice(hit.left, hit.start), slice(hit.start, hit.end), slice(hit.end, hit.right)], to: out)
                    written += 1
                }
            }
        }
        try formatter.end(to: out)
    }

    /// The hits of a batch of chunks, found on all cores, in corpus order.
    private func kwicHits(_ plan: KwicPlan, _ batch: [Range<Int>], _ selection: [[Bool]]?) throws -> [(Int, KwicHit)] {
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let found = CorpusLoader.parallelMap(batch.count) { k -> Result<[(Int, KwicHit)], QueryError> in
            var hits: [(Int, KwicHit)] = []
            return Self.eachKwicHit(corpus, batch[k], selection, plan, isInterrupted) { i, _, hit in
                hits.append((i, hit))
            }.map { hits }
        }
        return try found.flatMap { try $0.get() }
    }

    /// The most one worker holds of encoded kwic rows: past it the worker drops them and its
    /// chunk is written again on the main thread, straight to the output (a single file of
    /// hundreds of megabytes is one chunk, and a short word with wide context multiplies it).
    static let kwicBufferCap = 32 << 20

    /// Encodes the rows of a batch of chunks on all cores, each into its own buffer, then
    /// writes the buffers in order; a chunk whose rows outgrow `kwicBufferCap` is streamed.
    private func encodeKwic(_ plan: KwicPlan, _ batch: [Range<Int>], _ selection: [[Bool]]?,
                            _ encoder: any RawRowEncoder, _ buffers: [ByteBuffer], to out: Output) throws {
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        // Whether each chunk outgrew its buffer.
        let encoded = CorpusLoader.parallelMap(batch.count) { k -> Result<Bool, QueryError> in
            // Filled through a local array: a class property touched per row cost a third of
            // the time. Room for rows as long as the text searched: growing by doubling would
            // copy, and untouched capacity costs nothing.
            var bytes: [UInt8] = []
            swap(&bytes, &buffers[k].bytes)
            defer { swap(&bytes, &buffers[k].bytes) }
            bytes.reserveCapacity(min(Self.kwicBufferCap, batch[k].reduce(0) { $0 + corpus.issues[$1].text.count }))
            var overflowed = false
            return Self.eachKwicHit(corpus, batch[k], selection, plan, isInterrupted) { i, p, hit in
                guard !overflowed else { return }
                Self.encode(hit, id: corpus.articleID(issue: i, article: Int(hit.article)), p, encoder, into: &bytes)
                if bytes.count > Self.kwicBufferCap {
                    overflowed = true
                    bytes = []
                }
            }.map { overflowed }
        }
        for (k, result) in encoded.enumerated() {
            if try result.get() {
                try streamKwic(plan, batch[k], selection, encoder, to: out)
            } else {
                try out.write(bytes: buffers[k].bytes)
                buffers[k].bytes.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The rows of one chunk encoded and written 64 KiB at a time, on this thread.
    private func streamKwic(_ plan: KwicPlan, _ chunk: Range<Int>, _ selection: [[Bool]]?,
                            _ encoder: any RawRowEncoder, to out: Output) throws {
        var bytes: [UInt8] = []
        var closed: OutputClosed?
        try Self.eachKwicHit(corpus, chunk, selection, plan, isInterrupted) { i, p, hit in
            guard closed == nil else { return }
            Self.encode(hit, id: corpus.articleID(issue: i, article: Int(hit.article)), p, encoder, into: &bytes)
            if bytes.count >= 1 << 16 {
                do throws(OutputClosed) { try out.write(bytes: bytes) } catch { closed = error }
                bytes.removeAll(keepingCapacity: true)
            }
        }.get()
        if let closed { throw closed }
        try out.write(bytes: bytes)
    }

    /// One row: article id, left context, match, right context, straight from the bytes.
    @inline(__always)
    static func encode(_ hit: KwicHit, id: Int, _ p: UnsafeBufferPointer<UInt8>,
                       _ encoder: any RawRowEncoder, into bytes: inout [UInt8]) {
        func text(_ a: Int32, _ b: Int32) -> RawCell { .text(UnsafeBufferPointer(rebasing: p[Int(a)..<Int(b)])) }
        withUnsafeTemporaryAllocation(of: RawCell.self, capacity: 4) { cells in
            cells.initializeElement(at: 0, to: .integer(id))
            cells.initializeElement(at: 1, to: text(hit.left, hit.start))
            cells.initializeElement(at: 2, to: text(hit.start, hit.end))
            cells.initializeElement(at: 3, to: text(hit.end, hit.right))
            encoder.encode(UnsafeBufferPointer(cells), into: &bytes)
        }
    }

    /// Bytes one worker fills and the main thread writes, then hands back empty.
    final class ByteBuffer: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    /// Calls `body` with every occurrence in the issues `range`, in order, with the issue's
    /// index and bytes; fails on an interrupt or a pattern that backtracks too far.
    static func eachKwicHit(_ corpus: Corpus, _ range: Range<Int>, _ selection: [[Bool]]?, _ plan: KwicPlan,
                            _ isInterrupted: @Sendable () -> Bool,
                            _ body: (Int, UnsafeBufferPointer<UInt8>, KwicHit) -> Void) -> Result<Void, QueryError> {
        for i in range {
            if isInterrupted() { return .failure(QueryError(.interrupted, span: 0..<0)) }
            let issue = corpus.issues[i]
            let failed: Bool = issue.text.withUnsafeBufferPointer { p in
                do throws(Regex.LimitReached) {
                    try kwicHits(issue, p, selected: selection?[i], plan) { body(i, p, $0) }
                    return false
                } catch {
                    return true
                }
            }
            if failed { return .failure(QueryError(.patternTooComplex, span: plan.span)) }
        }
        return .success(())
    }

    /// Every occurrence in the paragraphs of the selected articles of one issue, without
    /// overlaps; empty regex matches are skipped. A word is searched for in the whole text at
    /// once (one call per occurrence, not one per paragraph) and each hit placed in its block.
    static func kwicHits(_ issue: Issue, _ p: UnsafeBufferPointer<UInt8>, selected: [Bool]?, _ plan: KwicPlan,
                         _ emit: (KwicHit) -> Void) throws(Regex.LimitReached) {
        guard let base = p.baseAddress else { return }
        let blocks = issue.blocks, articles = issue.articles
        func hit(_ a: Int, _ lower: Int, _ upper: Int, _ start: Int, _ end: Int) -> KwicHit {
            let left = jb_scalars_backward(base, lower, start, plan.width)
            let right = jb_scalars_forward(base, end, upper, plan.width)
            return KwicHit(article: Int32(a), left: Int32(left), start: Int32(start), end: Int32(end), right: Int32(right))
        }
        switch plan.pattern {
        case .literal(let needle):
            needle.withUnsafeBufferPointer { n in
                var i1 = 0, i2 = 0, avx2: Int32 = 0
                jb_find_plan(n.baseAddress, n.count, &i1, &i2, &avx2)
                var position = 0, b = 0, a = 0
                while position < p.count {
                    let found = jb_find_planned(base + position, p.count - position, n.baseAddress, n.count, i1, i2, avx2)
                    if found < 0 { return }
                    let start = position + found, end = start + n.count
                    // Blocks and articles are in text order: move forward to the hit's.
                    while b < blocks.count && blocks[b].range.upper < end { b += 1 }
                    guard b < blocks.count else { return }
                    while a < articles.count && Int(articles[a].blocks.upperBound) <= b { a += 1 }
                    let block = blocks[b]
                    guard block.kind == .paragraph, block.range.lower <= start, a < articles.count,
                          Int(articles[a].blocks.lowerBound) <= b, selected?[a] ?? true else {
                        position = start + 1
                        continue
                    }
                    emit(hit(a, block.range.lower, block.range.upper, start, end))
                    position = end
                }
            }
        case .regex(let regex):
            for (a, article) in articles.enumerated() where selected?[a] ?? true {
                for b in article.blocks where blocks[Int(b)].kind == .paragraph {
                    let (lower, upper) = (blocks[Int(b)].range.lower, blocks[Int(b)].range.upper)
                    if let literal = regex.requiredLiteral,
                       literal.withUnsafeBufferPointer({ jb_find(base + lower, upper - lower, $0.baseAddress, $0.count) }) < 0 {
                        continue
                    }
                    var position = lower
                    while position <= upper, let match = try regex.firstMatch(in: p, lower, upper, from: position) {
                        if match.isEmpty {
                            // Step over one character and look again.
                            position = match.lowerBound + 1
                            while position < upper && p[position] & 0xC0 == 0x80 { position += 1 }
                            continue
                        }
                        emit(hit(a, lower, upper, match.lowerBound, match.upperBound))
                        position = match.upperBound
                    }
                }
            }
        }
    }

    // MARK: - freq

    func runFreq(_ plan: FreqPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let selection = try articleSelection(plan.predicate)
        var rows: [(term: String, count: Int)]
        switch plan.kind {
        case .words:
            let table = try wordTable()
            let counts = try wordCounts(table, selection)
            rows = []
            for (id, n) in counts.enumerated() where n > 0 && id > 0 { rows.append((table.texts[id], n)) }
        case .bigrams:
            rows = try bigramCounts(selection)
        case .chars:
            rows = try characterCounts(selection)
        case .sources:
            var counts: [String: Int] = [:]
            for (i, issue) in corpus.issues.enumerated() {
                for (a, article) in issue.articles.enumerated() where selection?[i][a] ?? true {
                    for name in issue.sources(of: article) { counts[name, default: 0] += 1 }
                }
            }
            rows = counts.map { ($0.key, $0.value) }
        case .metrics:
            var counts: [String: Int] = [:]
            for (i, figures) in corpus.figures.figures.enumerated() {
                for figure in figures where selection?[i][Int(figure.article)] ?? true { counts[figure.metric, default: 0] += 1 }
            }
            rows = counts.map { ($0.key, $0.value) }
        }
        if isInterrupted() { throw interrupted }
        let total = rows.reduce(0) { $0 + $1.count }
        rows.sort { a, b in a.count != b.count ? a.count > b.count : ValueOrder.compareText(a.term, b.term) < 0 }
        try formatter.begin(columns: ["term", "count", "share"], to: out)
        for (term, n) in window(rows, plan.limit, plan.offset) {
            try formatter.row([.text(term), .integer(n), .number(Self.rounded(Double(n) / Double(total), 6))], to: out)
        }
        try formatter.end(to: out)
    }

    /// Occurrences of each word id in the selected articles (the table's own counts when all
    /// are selected); index 0, the gap marker, is 0.
    func wordCounts(_ table: WordTable, _ selection: [[Bool]]?) throws -> [Int] {
        guard let selection else { return table.counts }
        let chunks = corpus.issueChunks(perCore: 2)
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let perChunk = CorpusLoader.parallelMap(chunks.count) { c -> [Int]? in
            var counts = [Int](repeating: 0, count: table.texts.count)
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let words = table.issues[i]
                for (a, article) in corpus.issues[i].articles.enumerated() where selection[i][a] {
                    for k in words.range(ofBlocks: article.blocks) { counts[Int(words.tokens[k])] += 1 }
                }
            }
            return counts
        }
        var counts = [Int](repeating: 0, count: table.texts.count)
        for chunk in perChunk {
            guard let chunk else { throw interrupted }
            for (id, n) in chunk.enumerated() { counts[id] += n }
        }
        counts[0] = 0
        return counts
    }

    /// Pairs of words next to each other with no punctuation or number between them.
    func bigramCounts(_ selection: [[Bool]]?) throws -> [(term: String, count: Int)] {
        let table = try wordTable()
        let chunks = corpus.issueChunks(perCore: 2)
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let perChunk = CorpusLoader.parallelMap(chunks.count) { c -> [UInt64: Int]? in
            var counts: [UInt64: Int] = [:]
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let words = table.issues[i]
                for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                    for b in article.blocks {
                        let range = words.range(ofBlocks: b..<(b + 1))
                        guard range.count > 1 else { continue }
                        for k in range.lowerBound..<(range.upperBound - 1) {
                            let (x, y) = (words.tokens[k], words.tokens[k + 1])
                            if x != 0 && y != 0 { counts[UInt64(x) << 32 | UInt64(y), default: 0] += 1 }
                        }
                    }
                }
            }
            return counts
        }
        var counts: [UInt64: Int] = [:]
        for chunk in perChunk {
            guard let chunk else { throw interrupted }
            counts.merge(chunk, uniquingKeysWith: +)
        }
        return counts.map { key, n in (table.texts[Int(key >> 32)] + " " + table.texts[Int(key & 0xFFFF_FFFF)], n) }
    }

    /// Letters and ideographs (CharacterClass) in the paragraphs of the selected articles.
    func characterCounts(_ selection: [[Bool]]?) throws -> [(term: String, count: Int)] {
        let chunks = corpus.issueChunks(perCore: 2)
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let perChunk = CorpusLoader.parallelMap(chunks.count) { c -> [UInt32: Int]? in
            var plane = [Int](repeating: 0, count: 0x10000)
            var others: [UInt32: Int] = [:]
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let issue = corpus.issues[i]
                issue.text.withUnsafeBufferPointer { p in
                    for (a, article) in issue.articles.enumerated() where selection?[i][a] ?? true {
                        for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                            let range = issue.blocks[Int(b)].range
                            var k = range.lower
                            while k < range.upper {
                                let scalar = UTF8Text.scalar(p, k)
                                k += 1
                                while k < range.upper && p[k] & 0xC0 == 0x80 { k += 1 }
                                guard CharacterClass.isWordCharacter(scalar) else { continue }
                                if scalar.value < 0x10000 { plane[Int(scalar.value)] += 1 } else { others[scalar.value, default: 0] += 1 }
                            }
                        }
                    }
                }
            }
            for (v, n) in plane.enumerated() where n > 0 { others[UInt32(v)] = n }
            return others
        }
        var counts: [UInt32: Int] = [:]
        for chunk in perChunk {
            guard let chunk else { throw interrupted }
            counts.merge(chunk, uniquingKeysWith: +)
        }
        return counts.map { (String(Unicode.Scalar($0.key)!), $0.value) }
    }

    // MARK: - collocates

    /// Words within `window` words of the node (the same paragraph, punctuation skipped; the
    /// node's own words are not its collocates),
    /// scored against chance with log-likelihood (docs/WORDS.md "Collocates").
    func runCollocates(_ plan: CollocatesPlan, formatter: inout any ResultFormatter, to out: Output) throws {
        let columns = ["word", "together", "frequency", "expected", "mi", "ll"]
        guard !plan.node.isEmpty else {
            try formatter.begin(columns: columns, to: out)
            return try formatter.end(to: out)
        }
        let table = try wordTable()
        let selection = try articleSelection(plan.predicate)
        let counts = try wordCounts(table, selection)
        let total = Double(counts.reduce(0, +))
        let chunks = corpus.issueChunks(perCore: 2)
        let corpus = self.corpus, isInterrupted = self.isInterrupted
        let perChunk = CorpusLoader.parallelMap(chunks.count) { c -> (together: [UInt32: Int], slots: Int)? in
            var together: [UInt32: Int] = [:]
            var slots = 0
            for i in chunks[c] {
                if isInterrupted() { return nil }
                let words = table.issues[i]
                words.tokens.withUnsafeBufferPointer { t in
                    for (a, article) in corpus.issues[i].articles.enumerated() where selection?[i][a] ?? true {
                        for b in article.blocks {
                            let range = words.range(ofBlocks: b..<(b + 1))
                            Self.windows(t, range, plan.node, plan.window) { id in
                                together[id, default: 0] += 1
                                slots += 1
                            }
                        }
                    }
                }
            }
            return (together, slots)
        }
        var together: [UInt32: Int] = [:]
        var slots = 0
        for chunk in perChunk {
            guard let chunk else { throw interrupted }
            together.merge(chunk.together, uniquingKeysWith: +)
            slots += chunk.slots
        }
        var rows: [(id: UInt32, o: Int, c: Int, e: Double, mi: Double, ll: Double)] = []
        for (id, o) in together where !plan.node.contains(id) {
            let c = counts[Int(id)]
            let e = Double(slots) * Double(c) / total
            guard Double(o) > e else { continue }
            let ll = Self.logLikelihood(o: Double(o), r: Double(slots), c: Double(c), n: total)
            guard ll >= Self.significance else { continue }
            rows.append((id, o, c, e, log2(Double(o) / e), ll))
        }
        rows.sort { a, b in
            if a.ll != b.ll { return a.ll > b.ll }
            if a.o != b.o { return a.o > b.o }
            return ValueOrder.compareText(table.texts[Int(a.id)], table.texts[Int(b.id)]) < 0
        }
        try formatter.begin(columns: columns, to: out)
        for row in window(rows, plan.limit, plan.offset) {
            try formatter.row([.text(table.texts[Int(row.id)]), .integer(row.o), .integer(row.c),
                               .number(Self.rounded(row.e, 2)), .number(Self.rounded(row.mi, 2)),
                               .number(Self.rounded(row.ll, 2))], to: out)
        }
        try formatter.end(to: out)
    }

    /// G² at or above this (p < 0.05 with one degree of freedom) counts as more than chance.
    static let significance = 3.84

    /// Calls `collocate` with each word within `window` words of each occurrence of `node` in
    /// `t[range]`, skipping gap markers; the node's own words are not in its window.
    static func windows(_ t: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ node: [UInt32], _ window: Int,
                        _ collocate: (UInt32) -> Void) {
        let m = node.count
        guard range.count >= m else { return }
        var k = range.lowerBound
        while k + m <= range.upperBound {
            guard t[k] == node[0], (1..<m).allSatisfy({ t[k + $0] == node[$0] }) else { k += 1; continue }
            var j = k - 1, taken = 0
            while j >= range.lowerBound && taken < window {
                if t[j] != 0 { collocate(t[j]); taken += 1 }
                j -= 1
            }
            j = k + m
            taken = 0
            while j < range.upperBound && taken < window {
                if t[j] != 0 { collocate(t[j]); taken += 1 }
                j += 1
            }
            k += 1
        }
    }

    /// Dunning's log-likelihood G² = 2 Σ O ln(O / E) over the 2×2 table of a collocate: `o`
    /// times in the windows, `r` window slots in all, `c` occurrences in the corpus, `n` words.
    /// Cells that windows overlapping each other would make negative count as 0.
    static func logLikelihood(o: Double, r: Double, c: Double, n: Double) -> Double {
        let observed = [o, r - o, c - o, n - r - c + o].map { max(0, $0) }
        let expected = [r * c / n, r * (n - c) / n, (n - r) * c / n, (n - r) * (n - c) / n]
        var sum = 0.0
        for (x, e) in zip(observed, expected) where x > 0 && e > 0 { sum += x * log(x / e) }
        return 2 * sum
    }

    static func rounded(_ x: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (x * scale).rounded() / scale
    }

    /// The rows `limit` and `offset` leave.
    func window<T>(_ rows: [T], _ limit: Int?, _ offset: Int?) -> ArraySlice<T> {
        let start = min(rows.count, offset ?? 0)
        let end = limit.map { min(rows.count, start + $0) } ?? rows.count
        return rows[start..<end]
    }
}
