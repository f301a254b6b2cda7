import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// `kwic`: every occurrence in paragraph text with its context (docs/WORDS.md "kwic").
extension Evaluator {
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
        let batchSize = Parallel.coreCount * 2
        try formatter.begin(columns: ["article", "left", "match", "right"], rightAligned: [1], to: out)
        if plan.limit == nil, plan.offset == nil, let encoder = formatter.rawEncoder {
            // One buffer per chunk of a batch, kept from batch to batch: fresh ones would cost
            // a page fault every 4 KiB.
            let buffers = (0..<batchSize).map { _ in ByteBuffer() }
            for start in stride(from: 0, to: chunks.count, by: batchSize) {
                if isInterrupted() || !MemoryHeadroom.enoughForMoreWork() { throw interrupted }
                let batch = Array(chunks[start..<min(chunks.count, start + batchSize)])
                try encodeKwic(plan, batch, selection, encoder, buffers, to: out)
            }
        } else {
            var skipped = 0, written = 0
            batches: for start in stride(from: 0, to: chunks.count, by: batchSize) {
                if isInterrupted() || !MemoryHeadroom.enoughForMoreWork() { throw interrupted }
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
        let found = Parallel.map(batch.count) { k -> Result<[(Int, KwicHit)], QueryError> in
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
        let encoded = Parallel.map(batch.count) { k -> Result<Bool, QueryError> in
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
                    try kwicHits(issue, p, selected: selection?[i], plan, isInterrupted) { body(i, p, $0) }
                    return false
                } catch {
                    return true
                }
            }
            if failed { return .failure(QueryError(isInterrupted() ? .interrupted : .patternTooComplex, span: plan.span)) }
        }
        return .success(())
    }

    /// Every occurrence in the paragraphs of the selected articles of one issue, without
    /// overlaps; empty regex matches are skipped. A word is searched for in the whole text at
    /// once (one call per occurrence, not one per paragraph) and each hit placed in its block.
    static func kwicHits(_ issue: Issue, _ p: UnsafeBufferPointer<UInt8>, selected: [Bool]?, _ plan: KwicPlan,
                         _ isInterrupted: () -> Bool = { false }, _ emit: (KwicHit) -> Void) throws(Regex.LimitReached) {
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
            let verifying = issue.text.isMapped
            for (a, article) in articles.enumerated() where selected?[a] ?? true {
                for b in article.blocks where blocks[Int(b)].kind == .paragraph {
                    // A backtracking pattern can take a second a paragraph: the time limit and
                    // Ctrl-C are checked here, not only between issues.
                    if isInterrupted() { throw Regex.LimitReached() }
                    let (lower, upper) = (blocks[Int(b)].range.lower, blocks[Int(b)].range.upper)
                    if let literal = regex.requiredLiteral,
                       literal.withUnsafeBufferPointer({ jb_find(base + lower, upper - lower, $0.baseAddress, $0.count) }) < 0 {
                        continue
                    }
                    var position = lower
                    while position <= upper, let match = try regex.firstMatch(in: p, lower, upper, from: position, verifying: verifying) {
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
}
