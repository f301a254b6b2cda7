#if canImport(Glibc)
import Glibc
#endif

/// The figures of a snapshotted corpus, kept beside its snapshot once extracted
/// (docs/SNAPSHOT.md "Figures"): `corpus-<hash>.figures`, valid only for the snapshot
/// generation it was made from, the same build and the same user lexicons.
///
/// Figures depend on the whole corpus (the organisations named in every source are subjects),
/// so they are kept only for a load that is exactly one snapshot's content.
public struct SnapshotFigures: Sendable {
    let cache: SnapshotCache
    /// The figures file.
    let path: String
    /// The snapshot's generation: a rewritten snapshot makes the figures file stale.
    let generation: UInt64
    /// How many issues the corpus has (a check).
    let issueCount: Int

    /// Layout 2: columns first, read in place (layout 1, "JBFIGS", decoded every record).
    static let magic: [UInt8] = Array("JBFIG2\r\n".utf8)
    static let headerSize = 64
    /// Int32 fields per figure record beside the columns: article, block, qualifier, text
    /// start/end, sentence start/end, source, first extra double.
    static let fields = 9
    /// Flag bits.
    static let hasChange: Int32 = 1, hasValueHigh: Int32 = 2, hasChangeAbsolute: Int32 = 4, hasPeriod: Int32 = 8,
               isCumulative: Int32 = 16, periodInDoubles: Int32 = 32

    /// What the figures also depend on: the build and the user's lexicon files (by stamp).
    func identity() -> UInt64 { KeptFile.hash(KeptFile.buildAndLexicons(cache)) }

    /// The kept figures, read in place from the mapped file, or nil when there are none for
    /// this snapshot, lexicons and build (or the file is damaged: then they are simply made
    /// again). With `issues`, every index and range must fit the issue it is about.
    func load(for issues: [Issue]? = nil) -> KeptFigures? {
        guard let mapped = KeptFile.map(path, magic: Self.magic, headerSize: Self.headerSize, generation: generation,
                                        identity: identity(), issueCount: issueCount, checksum: KeptFile.blockChecksum) else { return nil }
        return KeptFigures(mapped.file, body: mapped.body, figureCount: mapped.word(48), extraCount: mapped.word(56),
                           issueCount: issueCount, issues: issues)
    }

    /// Keeps `figures` beside the snapshot (temporary file and rename, as the snapshot).
    /// Failing to is not worth a word: the figures are made again next time.
    ///
    /// Body, each part padded to 8 bytes: per issue its figure count (Int64); the columns —
    /// metric and subject codes (Int32, into the tables below, -1 for none), unit codes
    /// (UInt32), flags with the period above them, triple ids (Int32); the records (`fields` Int32 each); amounts, values (Double); the extra
    /// doubles (change, upper value, absolute change, a period too large for the flags, when
    /// the flags say so); the string table (count and byte length, (offset, length) Int32 pairs, bytes); the
    /// metric and subject tables (count, string ids); the triples (count, three string ids each).
    func save(_ figures: [[Figure]]) {
        guard figures.count == issueCount else { return }
        var ids: [String: Int32] = [:]
        var strings: [String] = []
        func id(_ s: String) -> Int32 {
            if let k = ids[s] { return k }
            let k = Int32(strings.count)
            ids[s] = k
            strings.append(s)
            return k
        }
        // Metrics and subjects coded densely in the order first met, as `FigureColumns` codes them.
        var metricCodes: [String: Int32] = [:], subjectCodes: [String: Int32] = [:]
        var metricTable: [Int32] = [], subjectTable: [Int32] = []
        func code(_ s: String, _ codes: inout [String: Int32], _ table: inout [Int32]) -> Int32 {
            if s.isEmpty { return -1 }
            if let k = codes[s] { return k }
            let k = Int32(table.count)
            codes[s] = k
            table.append(id(s))
            return k
        }
        var tripleIds: [[String]: Int32] = [:]
        var triples: [Int32] = []
        func triple(_ f: Figure) -> Int32 {
            let key = [f.changeBasis, f.changeUnit, f.span]
            if let k = tripleIds[key] { return k }
            let k = Int32(tripleIds.count)
            tripleIds[key] = k
            triples += [id(f.changeBasis), id(f.changeUnit), id(f.span)]
            return k
        }
        let total = figures.reduce(0) { $0 + $1.count }
        var counts: [Int64] = [], metrics: [Int32] = [], subjects: [Int32] = [], units: [UInt32] = [], flagColumn: [Int32] = [],
            tripleColumn: [Int32] = []
        var records: [Int32] = [], amounts: [UInt64] = [], values: [UInt64] = [], extras: [UInt64] = []
        metrics.reserveCapacity(total)
        subjects.reserveCapacity(total)
        units.reserveCapacity(total)
        flagColumn.reserveCapacity(total)
        tripleColumn.reserveCapacity(total)
        records.reserveCapacity(total * Self.fields)
        amounts.reserveCapacity(total)
        values.reserveCapacity(total)
        for issue in figures {
            counts.append(Int64(issue.count))
            for f in issue {
                var flags: Int32 = 0
                let first = Int32(extras.count)
                if let change = f.change { flags |= Self.hasChange; extras.append(change.bitPattern.littleEndian) }
                if let high = f.valueHigh { flags |= Self.hasValueHigh; extras.append(high.bitPattern.littleEndian) }
                if let absolute = f.changeAbsolute { flags |= Self.hasChangeAbsolute; extras.append(absolute.bitPattern.littleEndian) }
                if f.cumulative { flags |= Self.isCumulative }
                if let period = f.period {
                    flags |= Self.hasPeriod
                    if period >= 0 && period < 1 << 23 {
                        flags |= Int32(period) << 8
                    } else {
                        flags |= Self.periodInDoubles
                        extras.append(Double(period).bitPattern.littleEndian)
                    }
                }
                metrics.append(code(f.metric, &metricCodes, &metricTable))
                subjects.append(code(f.subject, &subjectCodes, &subjectTable))
                units.append(f.unitCode)
                flagColumn.append(flags)
                tripleColumn.append(triple(f))
                amounts.append(f.amount.bitPattern.littleEndian)
                values.append(f.value.bitPattern.littleEndian)
                records += [f.article, f.block, id(f.qualifier), f.text.start, f.text.end, f.sentence.start,
                            f.sentence.end, id(f.source), first]
            }
        }
        var pairs: [Int32] = []
        var bytes: [UInt8] = []
        for s in strings {
            pairs += [Int32(bytes.count), Int32(s.utf8.count)]
            bytes += s.utf8
        }
        var body: [UInt8] = []
        func put<T>(_ array: [T]) {
            array.withUnsafeBytes { body.append(contentsOf: $0) }
            while body.count % 8 != 0 { body.append(0) }
        }
        put(counts)
        put(metrics)
        put(subjects)
        put(units)
        put(flagColumn)
        put(tripleColumn)
        put(records)
        put(amounts)
        put(values)
        put(extras)
        put([Int64(strings.count), Int64(bytes.count)])
        put(pairs)
        put(bytes)
        put([Int64(metricTable.count)])
        put(metricTable)
        put([Int64(subjectTable.count)])
        put(subjectTable)
        put([Int64(tripleIds.count)])
        put(triples)
        KeptFile.write(cache, path, magic: Self.magic, headerSize: Self.headerSize, generation: generation, identity: identity(),
                       issueCount: issueCount, extra: [UInt64(total), UInt64(extras.count)], body: body,
                       checksum: KeptFile.blockChecksum)
    }
}

/// Figures kept beside a snapshot, read in place: the mapped file's columns serve `group by`,
/// filters and `metric` as they are, and a figure's other fields are read from its record
/// only when a statement reads them (docs/SNAPSHOT.md "Figures"). The mapping lives as long
/// as this or the columns made from it.
public final class KeptFigures: @unchecked Sendable {
    private let file: MappedFile
    /// How many figures.
    public let count: Int
    /// For each issue, the index of its first figure.
    let start: [Int]
    /// The columns, in place.
    let columns: FigureColumns
    private let records: UnsafePointer<Int32>
    /// Flags with the period above them, and triple ids: columns, as `metric … by year` and
    /// its notes read them for every row of the metric.
    private let flagColumn: UnsafePointer<Int32>
    private let tripleColumn: UnsafePointer<Int32>
    private let values: UnsafePointer<Double>
    private let extras: UnsafePointer<Double>
    private let pairs: UnsafePointer<Int32>
    private let bytes: UnsafePointer<UInt8>
    /// The (change basis, change unit, span) triples, decoded (a few dozen).
    private let triples: [(String, String, String)]
    private static let fields = SnapshotFigures.fields

    /// Nil when any count, code, index or range does not fit: every one a figure's fields are
    /// read through is checked here, once, so that reading one later needs no check.
    init?(_ file: MappedFile, body: UnsafeRawBufferPointer, figureCount: UInt64, extraCount: UInt64, issueCount: Int,
          issues: [Issue]?) {
        guard figureCount < UInt64(Int32.max), extraCount < UInt64(Int32.max), let base = body.baseAddress else { return nil }
        let n = Int(figureCount), e = Int(extraCount)
        var at = 0
        // The next part of the body, `count` items of `T` padded to 8 bytes; nil past the end.
        func part<T>(_ count: Int, _: T.Type) -> UnsafePointer<T>? {
            guard count >= 0, count < Int(Int32.max) else { return nil }
            let size = (count * MemoryLayout<T>.stride + 7) & ~7
            guard at + size <= body.count else { return nil }
            defer { at += size }
            return UnsafePointer((base + at).assumingMemoryBound(to: T.self))
        }
        // A count (Int64) and the part it counts.
        func counted<T>(_: T.Type, times: Int = 1) -> (Int, UnsafePointer<T>)? {
            guard let c = part(1, Int64.self), c[0] >= 0, c[0] < Int64(Int32.max), let p = part(Int(c[0]) * times, T.self) else { return nil }
            return (Int(c[0]), p)
        }
        guard let perIssue = part(issueCount, Int64.self), let metric = part(n, Int32.self), let subject = part(n, Int32.self),
              let unit = part(n, UInt32.self), let flags = part(n, Int32.self), let triple = part(n, Int32.self), let records = part(n * Self.fields, Int32.self),
              let amounts = part(n, Double.self), let values = part(n, Double.self), let extras = part(e, Double.self),
              let sizes = part(2, Int64.self), sizes[0] >= 0, sizes[1] >= 0, sizes[0] < Int64(Int32.max), sizes[1] < Int64(Int32.max),
              let pairs = part(2 * Int(sizes[0]), Int32.self), let bytes = part(Int(sizes[1]), UInt8.self),
              let metricPart = counted(Int32.self), let subjectPart = counted(Int32.self),
              let triplePart = counted(Int32.self, times: 3) else { return nil }
        let stringCount = Int(sizes[0]), byteCount = Int(sizes[1])
        for k in 0..<stringCount {
            let o = Int(pairs[2 * k]), l = Int(pairs[2 * k + 1])
            guard o >= 0, l >= 0, o + l <= byteCount else { return nil }
        }
        func string(_ id: Int32) -> String {
            String(decoding: UnsafeBufferPointer(start: bytes + Int(pairs[2 * Int(id)]), count: Int(pairs[2 * Int(id) + 1])), as: UTF8.self)
        }
        func table(_ ids: UnsafePointer<Int32>, _ count: Int) -> [String]? {
            var table: [String] = []
            table.reserveCapacity(count)
            for k in 0..<count {
                guard ids[k] >= 0, Int(ids[k]) < stringCount else { return nil }
                table.append(string(ids[k]))
            }
            return table
        }
        let metricCount = metricPart.0, subjectCount = subjectPart.0, tripleCount = triplePart.0
        guard let metrics = table(metricPart.1, metricCount), let subjects = table(subjectPart.1, subjectCount),
              let tripleStrings = table(triplePart.1, tripleCount * 3) else { return nil }
        triples = (0..<tripleCount).map { (tripleStrings[3 * $0], tripleStrings[3 * $0 + 1], tripleStrings[3 * $0 + 2]) }
        // Per issue, its first figure; the figures must add up.
        var start: [Int] = []
        start.reserveCapacity(issueCount)
        var next = 0
        for i in 0..<issueCount {
            start.append(next)
            let c = perIssue[i]
            guard c >= 0, c <= Int64(n - next) else { return nil }
            next += Int(c)
        }
        guard next == n else { return nil }
        // Every code within its table, every string id and extra double within the file,
        // every unit within the lexicon; with the issues, every index and range within the
        // issue it is about. Tight loops over the columns and records, chunks of issues on
        // all cores: a few milliseconds for 800,000 figures.
        let limits = Limits(metric: Int32(metricCount), subject: Int32(subjectCount),
                            unit: UInt32(Lexicon.current.unitWords.strings.count),
                            magnitude: UInt32(Lexicon.current.magnitudeWords.strings.count),
                            string: Int32(stringCount), triple: Int32(tripleCount), extra: Int32(e))
        let parts = Unchecked((metric, subject, unit, flags, triple, records))
        let chunks = Parallel.chunks(issueCount, perCore: 4)
        let first = start
        let fits = Parallel.map(chunks.count) { c -> Bool in
            let (metric, subject, unit, flagColumn, triple, records) = parts.value
            let start = first
            for i in chunks[c] {
                let (articles, blocks, text) = issues.map { i < $0.count ? ($0[i].articles.count, $0[i].blocks.count, $0[i].text.count) : (0, 0, 0) }
                    ?? (Int(Int32.max), Int(Int32.max), Int(Int32.max))
                let article = Int32(clamping: articles), block = Int32(clamping: blocks), bytes = Int32(clamping: text)
                let end = i + 1 < issueCount ? start[i + 1] : n
                for r in start[i]..<end {
                    guard metric[r] >= -1, metric[r] < limits.metric, subject[r] >= -1, subject[r] < limits.subject,
                          unit[r] & 0xFFFF < limits.unit, unit[r] >> 16 <= limits.magnitude else { return false }
                    let f = records + r * Self.fields
                    let flags = flagColumn[r] & 0xFF
                    let extra = (flags & 1) + (flags >> 1 & 1) + (flags >> 2 & 1) + (flags >> 5 & 1)
                    guard triple[r] >= 0, triple[r] < limits.triple, f[0] >= 0, f[0] < article, f[1] >= 0, f[1] < block,
                          f[2] >= 0, f[2] < limits.string, f[3] >= 0, f[3] <= f[4], f[4] <= bytes, f[5] >= 0, f[5] <= f[6],
                          f[6] <= bytes, f[7] >= 0, f[7] < limits.string, f[8] >= 0, f[8] <= limits.extra - extra else { return false }
                }
            }
            return true
        }
        guard fits.allSatisfy({ $0 }) else { return nil }
        self.file = file
        count = n
        self.start = start
        self.records = records
        flagColumn = flags
        tripleColumn = triple
        self.values = values
        self.extras = extras
        self.pairs = pairs
        self.bytes = bytes
        columns = FigureColumns(start: start, unitCode: UnsafeBufferPointer(start: unit, count: n),
                                amount: UnsafeBufferPointer(start: amounts, count: n),
                                subject: UnsafeBufferPointer(start: subject, count: n), subjects: subjects,
                                metric: UnsafeBufferPointer(start: metric, count: n), metrics: metrics, owner: file)
    }

    /// What the codes and ids of a kept figure must stay under.
    private struct Limits: Sendable {
        let metric: Int32, subject: Int32, unit: UInt32, magnitude: UInt32, string: Int32, triple: Int32, extra: Int32
    }

    /// String `id` of the table (checked when read).
    @inline(__always)
    private func string(_ id: Int32) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + Int(pairs[2 * Int(id)]), count: Int(pairs[2 * Int(id) + 1])), as: UTF8.self)
    }

    @inline(__always)
    private func field(_ row: Int, _ k: Int) -> Int32 { records[row * Self.fields + k] }

    @inline(__always)
    private func flags(_ row: Int) -> Int32 { flagColumn[row] & 0xFF }

    /// The extra double after those of the flags in `before` (the order they are written in).
    @inline(__always)
    private func extra(_ row: Int, _ flag: Int32, after before: Int32) -> Double? {
        let flags = flags(row)
        guard flags & flag != 0 else { return nil }
        return extras[Int(field(row, 8)) + (flags & before).nonzeroBitCount]
    }

    // The fields of figure `row` (an index into the columns), as `Figure` has them.
    public func article(_ row: Int) -> Int32 { field(row, 0) }
    public func block(_ row: Int) -> Int32 { field(row, 1) }
    public func metric(_ row: Int) -> String { let c = columns.metric[row]; return c < 0 ? "" : columns.metrics[Int(c)] }
    public func value(_ row: Int) -> Double { values[row] }
    public func unitCode(_ row: Int) -> UInt32 { columns.unitCode[row] }
    public func amount(_ row: Int) -> Double { columns.amount[row] }
    public func qualifier(_ row: Int) -> String { string(field(row, 2)) }
    public func change(_ row: Int) -> Double? { extra(row, SnapshotFigures.hasChange, after: 0) }
    public func valueHigh(_ row: Int) -> Double? { extra(row, SnapshotFigures.hasValueHigh, after: SnapshotFigures.hasChange) }
    public func changeAbsolute(_ row: Int) -> Double? {
        extra(row, SnapshotFigures.hasChangeAbsolute, after: SnapshotFigures.hasChange | SnapshotFigures.hasValueHigh)
    }
    public func period(_ row: Int) -> Int? {
        let flags = flags(row)
        guard flags & SnapshotFigures.hasPeriod != 0 else { return nil }
        guard flags & SnapshotFigures.periodInDoubles != 0 else { return Int(flagColumn[row] >> 8) }
        return extra(row, SnapshotFigures.periodInDoubles,
                     after: SnapshotFigures.hasChange | SnapshotFigures.hasValueHigh | SnapshotFigures.hasChangeAbsolute).flatMap { Int(exactly: $0) }
    }
    public func subject(_ row: Int) -> String { let c = columns.subject[row]; return c < 0 ? "" : columns.subjects[Int(c)] }
    public func text(_ row: Int) -> ByteRange { ByteRange(Int(field(row, 3)), Int(field(row, 4))) }
    public func sentence(_ row: Int) -> ByteRange { ByteRange(Int(field(row, 5)), Int(field(row, 6))) }
    public func changeBasis(_ row: Int) -> String { triples[Int(tripleColumn[row])].0 }
    public func changeUnit(_ row: Int) -> String { triples[Int(tripleColumn[row])].1 }
    public func span(_ row: Int) -> String { triples[Int(tripleColumn[row])].2 }
    public func cumulative(_ row: Int) -> Bool { flags(row) & SnapshotFigures.isCumulative != 0 }
    public func source(_ row: Int) -> String { string(field(row, 7)) }

    /// Figure `row` made whole: for a statement that outputs or inspects it.
    public func figure(_ row: Int) -> Figure {
        Figure(article: article(row), block: block(row), metric: metric(row), value: value(row), unitCode: unitCode(row),
               amount: amount(row), qualifier: qualifier(row), change: change(row), period: period(row), subject: subject(row),
               text: text(row), sentence: sentence(row), valueHigh: valueHigh(row), changeBasis: changeBasis(row),
               changeUnit: changeUnit(row), changeAbsolute: changeAbsolute(row), span: span(row), cumulative: cumulative(row),
               source: source(row))
    }
}

/// Pointers into a mapped file handed to the cores that read it (they only read).
private struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
