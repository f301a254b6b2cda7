/// The figures of a corpus as flat columns, one entry per figure in corpus order, with the
/// subject and metric interned: what `group by` and `where base = …` read per row.
///
/// A `Figure` is some 200 bytes of strings and optionals; a `group by subject` that reads one
/// string from each of 800,000 of them spends most of its time waiting on memory and hashing
/// the text. Here a row is a 4-byte code and an 8-byte amount in arrays read in order. For
/// figures kept beside a snapshot the columns are the kept file's own, read in place from
/// its mapping (`KeptFigures`), which they keep alive.
public final class FigureColumns: @unchecked Sendable {
    /// For each issue, the index of its first figure in the columns.
    public let start: [Int]
    public let unitCode: UnsafeBufferPointer<UInt32>
    public let amount: UnsafeBufferPointer<Double>
    /// Index into `subjects`, or -1 when the figure has no subject.
    public let subject: UnsafeBufferPointer<Int32>
    /// Distinct subjects, in the order first met.
    public let subjects: [String]
    /// Index into `metrics`.
    public let metric: UnsafeBufferPointer<Int32>
    /// Distinct metrics, in the order first met.
    public let metrics: [String]
    /// What the buffers point into: the mapped kept file, or memory these columns allocated
    /// (freed with them).
    private let owner: AnyObject?
    private let allocations: [UnsafeMutableRawPointer]

    /// Columns of `perIssue` (a `FigureIndex`'s figures), built a chunk of issues per core.
    init(_ perIssue: [[Figure]]) {
        var offsets: [Int] = []
        offsets.reserveCapacity(perIssue.count)
        var total = 0
        for figures in perIssue {
            offsets.append(total)
            total += figures.count
        }
        let start = offsets
        self.start = start
        let chunks = Parallel.chunks(perIssue.count, perCore: 4)
        var allocations: [UnsafeMutableRawPointer] = []
        unitCode = Self.owning(&allocations, Parallel.fill(count: total, repeating: 0, chunks: chunks.count) { c, out in
            for i in chunks[c] { for k in perIssue[i].indices { out[start[i] + k] = perIssue[i][k].unitCode } }
        })
        amount = Self.owning(&allocations, Parallel.fill(count: total, repeating: 0, chunks: chunks.count) { c, out in
            for i in chunks[c] { for k in perIssue[i].indices { out[start[i] + k] = perIssue[i][k].amount } }
        })
        let (subject, subjects) = Self.interned(perIssue, chunks: chunks, total: total) { $0.subject }
        let (metric, metrics) = Self.interned(perIssue, chunks: chunks, total: total) { $0.metric }
        self.subject = Self.owning(&allocations, subject)
        self.subjects = subjects
        self.metric = Self.owning(&allocations, metric)
        self.metrics = metrics
        self.allocations = allocations
        owner = nil
    }

    /// Columns that live in `owner` (a mapped kept file: `SnapshotFigures`), whose text fields
    /// are interned there already.
    init(start: [Int], unitCode: UnsafeBufferPointer<UInt32>, amount: UnsafeBufferPointer<Double>,
         subject: UnsafeBufferPointer<Int32>, subjects: [String], metric: UnsafeBufferPointer<Int32>, metrics: [String],
         owner: AnyObject) {
        self.start = start
        self.unitCode = unitCode
        self.amount = amount
        self.subject = subject
        self.subjects = subjects
        self.metric = metric
        self.metrics = metrics
        self.owner = owner
        allocations = []
    }

    deinit {
        for p in allocations { p.deallocate() }
    }

    /// A copy of `array` in memory of its own, freed with the columns (trivial element types
    /// only: nothing is deinitialised).
    private static func owning<T: BitwiseCopyable>(_ allocations: inout [UnsafeMutableRawPointer], _ array: [T]) -> UnsafeBufferPointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
        array.withUnsafeBufferPointer { if let b = $0.baseAddress { p.initialize(from: b, count: array.count) } }
        allocations.append(UnsafeMutableRawPointer(p))
        return UnsafeBufferPointer(start: p, count: array.count)
    }

    /// The index of figure `index` of issue `issue` in the columns.
    @inlinable
    public func row(issue: Int, index: Int) -> Int { start[issue] + index }

    /// One text field as codes into a table of its distinct values (empty text is -1): each
    /// chunk of issues interns on its own core, then the chunks' tables are merged in order,
    /// so codes follow first appearance in the corpus whatever the number of cores.
    private static func interned(_ perIssue: [[Figure]], chunks: [Range<Int>], total: Int,
                                 _ field: @Sendable (Figure) -> String) -> ([Int32], [String]) {
        let parts = Parallel.map(chunks.count) { c -> (codes: [Int32], table: [String]) in
            var known: [ByteKey: Int32] = [:]
            var table: [String] = []
            var codes: [Int32] = []
            for i in chunks[c] {
                for k in perIssue[i].indices {
                    let text = field(perIssue[i][k])
                    if text.isEmpty { codes.append(-1); continue }
                    let key = ByteKey(text)
                    if let code = known[key] { codes.append(code); continue }
                    known[key] = Int32(table.count)
                    codes.append(Int32(table.count))
                    table.append(text)
                }
            }
            return (codes, table)
        }
        var known: [ByteKey: Int32] = [:]
        var table: [String] = []
        var codes: [Int32] = []
        codes.reserveCapacity(total)
        for part in parts {
            let global = part.table.map { text -> Int32 in
                let key = ByteKey(text)
                if let code = known[key] { return code }
                known[key] = Int32(table.count)
                table.append(text)
                return Int32(table.count - 1)
            }
            for code in part.codes { codes.append(code < 0 ? -1 : global[Int(code)]) }
        }
        return (codes, table)
    }
}

/// A string as a dictionary key hashed and compared by its UTF-8 bytes: `String`'s own hash
/// normalises CJK text first, several times slower, and two spellings of one text are two
/// values for every comparison in the language anyway.
struct ByteKey: Hashable {
    var text: String

    init(_ text: String) { self.text = text }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (a: ByteKey, b: ByteKey) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
}
