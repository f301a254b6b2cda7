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

    static let magic: [UInt8] = Array("JBFIGS\r\n".utf8)
    static let headerSize = 64
    /// Int32 fields per figure: article, block, metric, unit code, qualifier, flags (low 8
    /// bits) with the period above them, subject, text start/end, sentence start/end, the
    /// (change basis, change unit, span) triple, source.
    static let fields = 13
    /// Flag bits.
    static let hasChange: Int32 = 1, hasValueHigh: Int32 = 2, hasChangeAbsolute: Int32 = 4, hasPeriod: Int32 = 8,
               isCumulative: Int32 = 16, periodInDoubles: Int32 = 32

    /// What the figures also depend on: the build and the user's lexicon files (by stamp).
    func identity() -> UInt64 {
        var text = cache.version + "\n"
        if let folder = Lexicon.userFolder() {
            text += folder + "\n"
            for name in BuiltInLexicons.files.keys.sorted() {
                text += KeptFile.stampLine(name, path: folder + "/" + name) ?? ""
            }
        }
        return KeptFile.hash(text)
    }

    /// The kept figures, or nil when there are none for this snapshot, lexicons and build
    /// (or the file is damaged: then it is simply made again).
    func load(for issues: [Issue]? = nil) -> (figures: [[Figure]], columns: FigureColumns)? {
        KeptFile.read(path, magic: Self.magic, headerSize: Self.headerSize, generation: generation, identity: identity(),
                      issueCount: issueCount) { u64, body in decode(u64, body, issues) }
    }

    /// The figures and their columns from a kept file's header words and body; nil when any
    /// count, index or range does not fit.
    private func decode(_ u64: (Int) -> UInt64, _ body: UnsafeRawBufferPointer, _ issues: [Issue]?) -> (figures: [[Figure]], columns: FigureColumns)? {
        let figureCount = Int(u64(48)), doubleCount = Int(u64(56))
        // Body: per issue (figure count, first double) as Int64 pairs; figures as Int32
        // records; doubles; string count and (offset, length) Int32 pairs; string bytes.
        let issueBytes = issueCount * 16, figureBytes = figureCount * Self.fields * 4, doubleBytes = doubleCount * 8
        guard figureCount >= 0, doubleCount >= 0, issueBytes + figureBytes + doubleBytes + 8 <= body.count else { return nil }
        let base = body.baseAddress!
        let perIssue = base.assumingMemoryBound(to: Int64.self)
        let records = (base + issueBytes).assumingMemoryBound(to: Int32.self)
        let doubles = (base + issueBytes + figureBytes).assumingMemoryBound(to: UInt64.self)
        let stringsAt = issueBytes + figureBytes + doubleBytes
        let stringCount = Int(body.loadUnaligned(fromByteOffset: stringsAt, as: Int64.self))
        let bytesAt = stringsAt + 8 + stringCount * 8
        guard stringCount >= 0, bytesAt <= body.count else { return nil }
        let pairs = (base + stringsAt + 8).assumingMemoryBound(to: Int32.self)
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for k in 0..<stringCount {
            let o = Int(pairs[2 * k]), l = Int(pairs[2 * k + 1])
            guard o >= 0, l >= 0, bytesAt + o + l <= body.count else { return nil }
            strings.append(String(decoding: UnsafeRawBufferPointer(start: base + bytesAt + o, count: l), as: UTF8.self))
        }
        // The triples follow the string bytes: a count, then three string ids each.
        var stringBytes = 0
        for k in 0..<stringCount { stringBytes += Int(max(0, pairs[2 * k + 1])) }
        let triplesAt = bytesAt + stringBytes
        guard triplesAt + 8 <= body.count else { return nil }
        let tripleCount = Int(body.loadUnaligned(fromByteOffset: triplesAt, as: Int64.self))
        guard tripleCount >= 0, triplesAt + 8 + tripleCount * 12 <= body.count else { return nil }
        var triples: [(String, String, String)] = []
        for k in 0..<tripleCount {
            let ids = (0..<3).map { Int(body.loadUnaligned(fromByteOffset: triplesAt + 8 + k * 12 + $0 * 4, as: Int32.self)) }
            guard ids.allSatisfy({ $0 >= 0 && $0 < stringCount }) else { return nil }
            triples.append((strings[ids[0]], strings[ids[1]], strings[ids[2]]))
        }
        var result: [[Figure]] = []
        result.reserveCapacity(issueCount)
        // The columns come with them: the kept strings are interned already, so a subject's
        // or metric's code is its string's, renumbered densely per field (no text hashed).
        var start: [Int] = [], unitCodes: [UInt32] = [], amounts: [Double] = []
        var subjectCodes: [Int32] = [], metricCodes: [Int32] = []
        start.reserveCapacity(issueCount)
        unitCodes.reserveCapacity(figureCount)
        amounts.reserveCapacity(figureCount)
        subjectCodes.reserveCapacity(figureCount)
        metricCodes.reserveCapacity(figureCount)
        var subjectOf = [Int32](repeating: -2, count: stringCount), metricOf = [Int32](repeating: -2, count: stringCount)
        var subjectTable: [String] = [], metricTable: [String] = []
        func code(_ id: Int32, _ of: inout [Int32], _ table: inout [String]) -> Int32 {
            let known = of[Int(id)]
            if known != -2 { return known }
            let string = strings[Int(id)]
            let made: Int32 = string.isEmpty ? -1 : Int32(table.count)
            if !string.isEmpty { table.append(string) }
            of[Int(id)] = made
            return made
        }
        var next = 0
        for i in 0..<issueCount {
            start.append(next)
            let count = Int(perIssue[2 * i])
            var d = Int(perIssue[2 * i + 1])
            guard count >= 0, next + count <= figureCount, d >= 0 else { return nil }
            var figures: [Figure] = []
            figures.reserveCapacity(count)
            // Every index and range must fit the issue it is about.
            let limits = issues.map { i < $0.count ? ($0[i].articles.count, $0[i].blocks.count, $0[i].text.count) : (0, 0, 0) }
            for j in next..<(next + count) {
                let r = records + j * Self.fields
                let flags = r[5] & 0xFF
                let extra = 2 + (flags & 1) + (flags >> 1 & 1) + (flags >> 2 & 1) + (flags >> 5 & 1)
                guard d + Int(extra) <= doubleCount else { return nil }
                for s in [2, 4, 6, 12] where r[s] < 0 || Int(r[s]) >= stringCount { return nil }
                guard r[11] >= 0, Int(r[11]) < triples.count else { return nil }
                func double() -> Double { defer { d += 1 }; return Double(bitPattern: UInt64(littleEndian: doubles[d])) }
                let value = double(), amount = double()
                let change: Double? = flags & Self.hasChange != 0 ? double() : nil
                let valueHigh: Double? = flags & Self.hasValueHigh != 0 ? double() : nil
                let changeAbsolute: Double? = flags & Self.hasChangeAbsolute != 0 ? double() : nil
                let period: Int? = flags & Self.hasPeriod == 0 ? nil
                    : flags & Self.periodInDoubles != 0 ? Int(exactly: double()) : Int(r[5] >> 8)
                let triple = triples[Int(r[11])]
                if let (articles, blocks, bytes) = limits {
                    guard r[0] >= 0, Int(r[0]) < articles, r[1] >= 0, Int(r[1]) < blocks,
                          r[7] >= 0, r[7] <= r[8], Int(r[8]) <= bytes, r[9] >= 0, r[9] <= r[10], Int(r[10]) <= bytes else { return nil }
                }
                unitCodes.append(UInt32(bitPattern: r[3]))
                amounts.append(amount)
                subjectCodes.append(code(r[6], &subjectOf, &subjectTable))
                metricCodes.append(code(r[2], &metricOf, &metricTable))
                figures.append(Figure(article: r[0], block: r[1], metric: strings[Int(r[2])], value: value,
                                      unitCode: UInt32(bitPattern: r[3]), amount: amount, qualifier: strings[Int(r[4])],
                                      change: change, period: period, subject: strings[Int(r[6])],
                                      text: ByteRange(Int(r[7]), Int(r[8])), sentence: ByteRange(Int(r[9]), Int(r[10])),
                                      valueHigh: valueHigh, changeBasis: triple.0, changeUnit: triple.1,
                                      changeAbsolute: changeAbsolute, span: triple.2, cumulative: flags & Self.isCumulative != 0,
                                      source: strings[Int(r[12])]))
            }
            next += count
            result.append(figures)
        }
        return (result, FigureColumns(start: start, unitCode: unitCodes, amount: amounts, subject: subjectCodes,
                                      subjects: subjectTable, metric: metricCodes, metrics: metricTable))
    }

    /// Keeps `figures` beside the snapshot (temporary file and rename, as the snapshot).
    /// Failing to is not worth a word: the figures are made again next time.
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
        var perIssue: [Int64] = []
        var records: [Int32] = []
        var doubles: [UInt64] = []
        let total = figures.reduce(0) { $0 + $1.count }
        records.reserveCapacity(total * Self.fields)
        doubles.reserveCapacity(total * 3)
        for issue in figures {
            perIssue += [Int64(issue.count), Int64(doubles.count)]
            for f in issue {
                var flags: Int32 = 0
                doubles += [f.value.bitPattern.littleEndian, f.amount.bitPattern.littleEndian]
                if let change = f.change { flags |= Self.hasChange; doubles.append(change.bitPattern.littleEndian) }
                if let high = f.valueHigh { flags |= Self.hasValueHigh; doubles.append(high.bitPattern.littleEndian) }
                if let absolute = f.changeAbsolute { flags |= Self.hasChangeAbsolute; doubles.append(absolute.bitPattern.littleEndian) }
                if f.cumulative { flags |= Self.isCumulative }
                if let period = f.period {
                    flags |= Self.hasPeriod
                    if period >= 0 && period < 1 << 23 {
                        flags |= Int32(period) << 8
                    } else {
                        flags |= Self.periodInDoubles
                        doubles.append(Double(period).bitPattern.littleEndian)
                    }
                }
                records += [f.article, f.block, id(f.metric), Int32(bitPattern: f.unitCode), id(f.qualifier), flags,
                            id(f.subject), f.text.start, f.text.end, f.sentence.start, f.sentence.end, triple(f), id(f.source)]
            }
        }
        var body: [UInt8] = []
        func put<T>(_ array: [T]) { array.withUnsafeBytes { body.append(contentsOf: $0) } }
        put(perIssue)
        put(records)
        put(doubles)
        var pairs: [Int32] = []
        var bytes: [UInt8] = []
        for s in strings {
            pairs += [Int32(bytes.count), Int32(s.utf8.count)]
            bytes += s.utf8
        }
        put([Int64(strings.count)])
        put(pairs)
        body += bytes
        put([Int64(tripleIds.count)])
        put(triples)
        KeptFile.write(cache, path, magic: Self.magic, headerSize: Self.headerSize, generation: generation, identity: identity(),
                       issueCount: issueCount, extra: [UInt64(total), UInt64(doubles.count)], body: body)
    }
}
