#if canImport(Glibc)
import Glibc
#endif

/// Finds the figures of one paragraph (FORMAT.md "Figures"; the rules and their limits are in
/// docs/FIGURES.md).
///
/// Only paragraphs holding a digit are looked at. The paragraph is decoded once into Unicode
/// scalars with their byte offsets; the steps then run in order, each a function below:
/// numbers and units → changes attached to the figure before them → names (count before
/// noun, or the noun phrase before the number) → 分别 pairings → breakdown parts → subjects
/// carried within a sentence → periods.
struct FigureExtractor {
    let lexicon: Lexicon
    /// Names that can stand before a metric as its subject (the corpus's reporting
    /// organisations and the subjects lexicon), longest first.
    let subjects: [String]
    /// The reporting organisations alone: one named inside a longer subject is the subject.
    var organisations: [String] = []
    /// `subjects` prepared for matching in the paragraph.
    var subjectWords: Words?
    /// `subjects` and the lexicon's lists prepared for prefix and suffix search (made once
    /// per run; nil: made by the first extractor of a worker).
    var sharedTables: PhraseTables?
    /// The article's first reporting organisation (each figure's `source`).
    var source = ""
    /// The issue's year, for 今年 and 去年.
    let issueYear: Int?
    /// The issue's month, for a span stated without a year (1-10月 in an issue of January
    /// describes the year before).
    var issueMonth: Int?
    /// Answers to `strip` and `splitSubject` for phrases seen before, and buffers (one per
    /// worker).
    let cache: PhraseCache

    /// One figure while it is being worked out; indices are scalar positions.
    struct Candidate {
        var start: Int, numberEnd: Int, unitEnd: Int, end: Int
        var value: Double
        var qualifiers: [Qualifier] = []
        var isPercent: Bool
        /// The same for % and ％; compared where units must agree.
        var unitKey = 0
        var isPoints = false, isMeasure = false
        /// Indices of the unit and magnitude (+1, 0 for none) in the lexicon's word lists.
        var unitIndex = 0, magnitudeIndex = 0
        /// Power of ten of the magnitude (亿 → 8), 0 without one.
        var exponent = 0
        /// Used up as the change of another figure.
        var consumed = false
        var change: Double?
        var metric = "", metricStart: Int
        var subject = ""
        /// The figure whose breakdown this one is part of.
        var parent: Int?
        var sentence = 0
        /// Named by a 分别 list (metric or subject set there).
        var paired = false
        /// The upper bound of a range (3至5亿元), and where the lower bound's digits end.
        var valueHigh: Double?
        var lowEnd = 0
        /// Written in 倍 (a change in times).
        var isTimes = false
        var changeBasis = "", changeUnit = ""
        var changeAbs: Double?
        /// Its subject is a part's (其中，洋山港区…): it is not carried to the figures after.
        var partSubject = false

        /// Not used up, and named: a figure.
        var isFigure: Bool { !consumed && !metric.isEmpty }
    }

    // MARK: - Text

    let s: [Unicode.Scalar]
    /// Byte offset of each scalar in the issue, plus the end.
    let offsets: [Int]
    /// The issue's bytes (valid while the extractor runs).
    let bytes: UnsafeBufferPointer<UInt8>
    /// The same bytes as an array: slices of it key the phrase cache without copying.
    let issueText: [UInt8]
    /// The static sets, held here: a static is reached through a once-check on every read,
    /// and these are read at every character.
    let punctuation = FigureExtractor.punctuation, sentenceEnds = FigureExtractor.sentenceEnds
    let nounStops = FigureExtractor.nounStops

    init(lexicon: Lexicon, subjects: [String], issueYear: Int?, bytes: UnsafeBufferPointer<UInt8>, range: ByteRange,
         cache: PhraseCache = PhraseCache(), text: [UInt8] = []) {
        self.issueText = text
        self.lexicon = lexicon
        self.subjects = subjects
        self.issueYear = issueYear
        self.bytes = bytes
        self.cache = cache
        // Decoded into the worker's buffers, which this extractor borrows: no allocation per
        // paragraph once they have grown.
        Self.decode(bytes, range, into: &cache.scalars, &cache.offsets)
        s = cache.scalars
        offsets = cache.offsets
    }

    /// UTF-8 to scalars with the byte offset of each. The text was repaired to valid UTF-8
    /// when it was loaded, so there are no checks.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: ByteRange,
                       into scalars: inout [Unicode.Scalar], _ offsets: inout [Int]) {
        // Sized once, then written through pointers: an append per scalar re-checked
        // uniqueness and capacity each time.
        let n = range.count
        scalars.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        scalars.append(contentsOf: repeatElement(Unicode.Scalar(0), count: n))
        offsets.append(contentsOf: repeatElement(0, count: n + 1))
        var count = 0
        scalars.withUnsafeMutableBufferPointer { sp in
            offsets.withUnsafeMutableBufferPointer { op in
                var i = range.lower
                while i < range.upper {
                    let (scalar, length) = UTF8Text.decode(bytes, i)
                    sp[count] = scalar
                    op[count] = i
                    count += 1
                    i += length
                }
                op[count] = i
            }
        }
        scalars.removeLast(n - count)
        offsets.removeLast(n - count)
    }

    /// Whether a paragraph holds any digit (ASCII or full-width): the others have no figures.
    static func hasDigit(_ p: UnsafeBufferPointer<UInt8>, _ range: ByteRange) -> Bool {
        var i = range.lower
        while i < range.upper {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 { return true }
            if b == 0xEF, i + 2 < range.upper, p[i + 1] == 0xBC, p[i + 2] >= 0x90, p[i + 2] <= 0x99 { return true }
            i += 1
        }
        return false
    }

    func matches(_ word: String, at i: Int) -> Bool {
        guard i >= 0 else { return false }
        var k = i
        for c in word.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    /// The longest change phrase starting at `i`, with its sign.
    func change(at i: Int) -> (length: Int, sign: Int)? {
        lexicon.changeWords.first(in: s, at: i).map { ($0.length, lexicon.changeSignByIndex[$0.index]) }
    }

    func text(_ from: Int, _ to: Int) -> String {
        guard from < to else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[offsets[from]..<offsets[to]]), as: UTF8.self)
    }

    static let punctuation = ScalarSet("，。；：、！？（）()“”‘’《》【】,;:!?\"' \t…—·")
    static let sentenceEnds = ScalarSet("。！？；")
    /// What joins the items of a list (增长5.2%、3.1%和2.0%).
    static let listJoiners = ScalarSet("、和及，,与")
    /// Range marks between two numbers (3至5年, 10-20人): the first number is no figure.
    static let rangeMarks = ScalarSet("至到-~—－")
    /// Characters that make a verb before them part of a name (完成率, 投放量).
    static let nameSuffixes = ScalarSet("率量额数度值")
    /// Characters that end a counted noun (370家商户门店均…).
    static let nounStops = ScalarSet("的在已均中以等都为是共和与及占达分别各将正已经了")
    /// Time words stripped from the front of a metric or subject (全年营业收入 → 营业收入).
    static let timePrefixes = ["前三季度", "上半年", "下半年", "一季度", "二季度", "三季度", "四季度", "全年", "今年", "去年", "同期",
                               "年底", "年末", "以来", "本月", "本航季", "底", "末", "初", "其中", "此外", "同时", "目前", "预计"]
    /// Time words trimmed from the end of a subject (上海地铁全年 → 上海地铁).
    static let timeSuffixes = ["上半年", "下半年", "全年", "今年", "去年", "年底", "年末", "期间", "一季度", "二季度", "三季度", "四季度", "前三季度"]
    /// One-character words that are not part of a name when they stand in front of it.
    static let leadingFunctionWords = ["占", "并", "和", "及", "被", "均", "将", "已", "为", "有", "共", "仅", "还", "可", "而", "但", "则", "虽然"]
    /// One-character words trimmed from the end of a subject (全市新设立 → 全市).
    static let trailingFunctionWords = ["新", "可", "后", "共", "已", "将", "均", "再", "还"]

    @inline(__always)
    func isDigit(_ c: Unicode.Scalar) -> Bool { (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0xFF10 && c.value <= 0xFF19) }
    /// The value of a digit `isDigit` accepted (ASCII or full-width).
    @inline(__always)
    func digitValue(_ c: Unicode.Scalar) -> Int { Int(c.value >= 0xFF10 ? c.value - 0xFF10 : c.value - 0x30) }
    @inline(__always)
    func isBoundary(_ c: Unicode.Scalar) -> Bool { punctuation.contains(c) || isDigit(c) }
    func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }

    // MARK: - The steps

    /// The candidates of the paragraph, named; the figures are those not `consumed` and with
    /// a metric (`isFigure`).
    func extract() -> [Candidate] {
        var candidates = numbers()
        guard !candidates.isEmpty else { return [] }
        // Candidates are in text order: one walk numbers their sentences.
        var sentence = 0, position = 0
        cache.sentenceStarts.removeAll(keepingCapacity: true)
        cache.sentenceStarts.append(0)
        for i in candidates.indices {
            while position < candidates[i].start {
                if sentenceEnds.contains(s[position]) { sentence += 1; cache.sentenceStarts.append(position + 1) }
                position += 1
            }
            candidates[i].sentence = sentence
        }
        attachChanges(&candidates)
        if cache.stopped || cache.stop() { cache.stopped = true; return [] }
        name(&candidates)
        nameParts(&candidates)
        carrySubjects(&candidates)
        // Those used up or left without a name stay: `figures` passes over them (filtering
        // here copied or moved every candidate).
        return candidates
    }

    /// Numbers with a unit; dates, ranks, ordinals and ranges are not figures.
    func numbers() -> [Candidate] {
        var result: [Candidate] = []
        result.reserveCapacity(16)
        var i = 0
        var nextCheck = 4096
        while i < s.count {
            if i >= nextCheck {
                nextCheck = i + 4096
                if cache.stopped || cache.stop() { cache.stopped = true; return [] }
            }
            guard isDigit(s[i]), let (value, lowEnd) = Quantity.number(s, from: i) else { i += 1; continue }
            var end = lowEnd
            defer { i = max(end, i + 1) }
            if i > 0, s[i - 1] == "第" || isASCIILetter(s[i - 1]) || s[i - 1] == "." { continue }
            if end < s.count, isASCIILetter(s[end]), lexicon.unitWords.first(in: s, at: end) == nil { continue }
            if lexicon.notFigureWords.first(in: s, at: end) != nil { continue }
            // A range (3至5亿元, 3—5亿元) is one figure; one that ends in a date or count of
            // months (1-10月) is none.
            var high: Double?
            if end + 1 < s.count, Self.rangeMarks.contains(s[end]), isDigit(s[end + 1]) {
                guard let (h, highEnd) = Quantity.number(s, from: end + 1), lexicon.notFigureWords.first(in: s, at: highEnd) == nil,
                      unit(after: highEnd) != nil else { continue }
                high = h
                end = highEnd
            }
            // One space may stand between a number and its unit (2764 亿元, as some pages print).
            guard let unit = unit(after: end) ?? (end + 1 < s.count && s[end] == " " ? unit(after: end + 1) : nil) else { continue }
            // Ranks (前10位) are no figures.
            if i > 0, s[i - 1] == "前", Self.rankUnits.contains(lexicon.unitWords.strings[unit.index]) { continue }
            var j = unit.end
            // Qualifiers are rare: the array is made only for a figure that has one.
            var qualifiers: [Qualifier] = []
            if unit.between > 0 { qualifiers.append(Qualifier(text: lexicon.betweenWords.strings[unit.between - 1], before: false)) }
            var hasAfter = false
            while let q = lexicon.afterWords.first(in: s, at: j) {
                qualifiers.append(Qualifier(text: lexicon.afterWords.strings[q.index], before: false))
                hasAfter = true
                j += q.length
            }
            // A threshold that names a category (年营业收入2000万元以上的企业) is no figure.
            if j < s.count, s[j] == "的", hasAfter || boundBefore(i) { continue }
            var candidate = Candidate(start: i, numberEnd: end, unitEnd: unit.end, end: j, value: value,
                                      qualifiers: qualifiers,
                                      isPercent: lexicon.unitIsPercent[unit.index], metricStart: i)
            candidate.unitKey = lexicon.unitKeys[unit.index]
            candidate.isPoints = lexicon.unitIsPoints[unit.index]
            candidate.isMeasure = lexicon.unitIsMeasure[unit.index]
            candidate.exponent = unit.exponent
            candidate.unitIndex = unit.index
            candidate.magnitudeIndex = unit.magnitudeIndex
            // The unit word 倍 is one scalar: compared in the text, not as a String.
            candidate.isTimes = unit.end == unit.start + 1 && s[unit.start] == "倍"
            candidate.lowEnd = lowEnd
            if let high {
                candidate.valueHigh = high
                candidate.qualifiers.insert(Qualifier(text: "至", before: false), at: 0)
            }
            result.append(consume candidate)
        }
        return result
    }

    /// The words after a number, as indices into the lexicon's lists (no strings: this is
    /// read for every number of the corpus).
    struct UnitMatch {
        /// Power of ten of the magnitude (亿 → 8), 0 without one.
        var exponent: Int
        /// The between-qualifier (80余家) + 1, 0 for none.
        var between: Int
        /// The unit in `unitWords`, and where it starts and ends.
        var index: Int, start: Int, end: Int
        /// The magnitude in `magnitudeWords` + 1, 0 for none.
        var magnitudeIndex: Int
    }

    /// Magnitude, a between-qualifier (80余家) and a unit after a number; without the
    /// magnitude when that reads better (500千瓦 is 千瓦, not 千 + 瓦).
    func unit(after end: Int) -> UnitMatch? {
        func read(_ magnitude: (index: Int, length: Int)?) -> UnitMatch? {
            var j = end + (magnitude?.length ?? 0)
            var between = 0
            if let q = lexicon.betweenWords.first(in: s, at: j) { between = q.index + 1; j += q.length }
            guard let unit = lexicon.unitWords.first(in: s, at: j) else { return nil }
            return UnitMatch(exponent: magnitude.map { lexicon.magnitudeExponents[$0.index] } ?? 0, between: between,
                             index: unit.index, start: j, end: j + unit.length, magnitudeIndex: magnitude.map { $0.index + 1 } ?? 0)
        }
        if let magnitude = lexicon.magnitudeWords.first(in: s, at: end), let r = read(magnitude) { return r }
        if let r = read(nil) { return r }
        // 1300多亿元: the qualifier before the magnitude.
        guard let q = lexicon.betweenWords.first(in: s, at: end), let magnitude = lexicon.magnitudeWords.first(in: s, at: end + q.length),
              let unit = lexicon.unitWords.first(in: s, at: end + q.length + magnitude.length) else { return nil }
        let start = end + q.length + magnitude.length
        return UnitMatch(exponent: lexicon.magnitudeExponents[magnitude.index], between: q.index + 1,
                         index: unit.index, start: start, end: start + unit.length, magnitudeIndex: magnitude.index + 1)
    }

    /// The parenthesis that closes the one at `open`, within the sentence and at most
    /// `maximumParenthetical` characters on (a longer one is no breakdown, and an unclosed
    /// one must not be searched for from every figure of a long sentence).
    func closing(from open: Int) -> Int? {
        var depth = 0
        for i in open..<min(s.count, open + Self.maximumParenthetical) {
            if s[i] == "（" || s[i] == "(" { depth += 1 }
            if s[i] == "）" || s[i] == ")" { depth -= 1; if depth == 0 { return i } }
            if sentenceEnds.contains(s[i]) { return nil }
        }
        return nil
    }

    /// Whether the text from `start` to `end` is exactly a known subject of three characters
    /// or more (中央企业).
    func namesKnownSubject(_ start: Int, _ end: Int) -> Bool {
        guard end - start >= 3, let w = subjectWords?.first(in: s, at: start) else { return false }
        return w.length == end - start
    }

    /// The parenthesis that opens the one closing at `close`, within the sentence and at most
    /// `maximumParenthetical` characters back.
    func opening(before close: Int) -> Int? {
        var depth = 0
        var i = close
        while i >= 0, close - i < Self.maximumParenthetical {
            if s[i] == "）" || s[i] == ")" { depth += 1 }
            if s[i] == "（" || s[i] == "(" { depth -= 1; if depth == 0 { return i } }
            if sentenceEnds.contains(s[i]) { return nil }
            i -= 1
        }
        return nil
    }

    /// Names every figure not used up: count before noun when a noun follows the measure word,
    /// else the noun phrase before the number; a 分别 list pairs metrics or subjects in order.
    func name(_ c: inout [Candidate]) {
        var k = 0
        while k < c.count {
            if c[k].consumed || c[k].parent != nil || c[k].paired { k += 1; continue }
            let before = phraseBefore(c[k].start, percent: c[k].isPercent || c[k].isPoints)
            c[k].qualifiers = before.qualifiers + c[k].qualifiers
            if c[k].isPercent, before.changeSign != 0, c[k].change == nil {
                c[k].change = Double(before.changeSign) * c[k].value
                c[k].changeUnit = "%"
                c[k].changeBasis = basis(max(0, before.phrase.start - 1), c[k].start)
            }
            if let noun = countedNoun(c[k]) {
                c[k].metric = noun.text
                c[k].metricStart = c[k].start
                c[k].end = noun.end
                // What stands before the count is its subject, unless it runs on from another
                // figure (7处银行网点和16个…).
                let start = before.phrase.start
                let afterNumber = start > 0 && isDigit(s[start - 1]) || (start > 1 && lexicon.measures.contains(String(s[start - 1])) && isDigit(s[start - 2]))
                let owner = afterNumber ? "" : strip(before.phrase.text)
                c[k].subject = cachedSubjectLike(owner) ? owner : ""
                k += 1
                continue
            }
            // 分别: a list before (甲、乙、丙) and as many figures in a row after 分别.
            if before.respectively {
                let items = listItems(before.phrase.text)
                var run = [k]
                var m = k + 1
                while run.count < items.count, m < c.count, !c[m].consumed, c[m].parent == nil,
                      c[m].sentence == c[k].sentence, gapIsListSeparator(c[run.last!].end, c[m].start) {
                    run.append(m)
                    m += 1
                }
                if items.count >= 2, run.count == items.count {
                    let itemsAreMetrics = items.contains { item in lexicon.metrics.contains { item.hasSuffix($0) } } && !looksLikeSubject(items[0])
                    pair(&c, run, items, before, metrics: before.changeSign != 0 || c[k].isPercent || itemsAreMetrics)
                    k = m
                    continue
                }
            }
            var split = splitSubject(at: before.phrase.start..<before.phraseEnd, before.phrase.text)
            // 累计 in front of a name qualifies the figure (累计保供生活物资超过15万吨).
            let metricStart = before.phrase.start + split.offset
            if let q = lexicon.beforeWords.first(in: s, at: metricStart), q.length + 1 < split.metric.unicodeScalars.count {
                split.metric = String(String.UnicodeScalarView(split.metric.unicodeScalars.dropFirst(q.length)))
                split.offset += q.length
                c[k].qualifiers.insert(Qualifier(text: lexicon.beforeWords.strings[q.index], before: true), at: 0)
            }
            // The last scalar first: the String comparison is asked only when it can succeed.
            c[k].metric = split.metric.unicodeScalars.last == "际" && split.metric.hasSuffix("实际") && split.metric.count > 3
                ? String(split.metric.dropLast(2)) : split.metric
            c[k].subject = split.subject.isEmpty ? strip(at: before.subjectRange, before.subject) : split.subject
            if c[k].subject.isEmpty, !before.owner.isEmpty { c[k].subject = before.owner }
            c[k].metricStart = before.phrase.start + split.offset
            // What stands before a number and names an owner is a part's subject; the metric
            // is that of the figure before (其中，洋山港区完成1980万标准箱; 其中:省属国有企业
            // 5208.4亿元; 内河港口完成1968万吨).
            // A known owner is never a metric: one standing alone before a number names a part
            // too, with no 其中 (（1）中央企业132120亿元; 资产负债率64.2%，中央企业66.8%).
            if split.subject.isEmpty, before.subject.isEmpty, cachedSubjectLike(split.metric),
               let previous = previousNamed(c, k, unit: c[k].unitKey),
               c[previous].partSubject || clauseStartsWithAmong(before.phrase.start) || sentenceStartsWithAmong(c[k].sentence)
                || namesKnownSubject(c[k].metricStart, before.phraseEnd) {
                c[k].subject = strip(split.metric)
                c[k].metric = c[previous].metric
                c[k].partSubject = true
            }
            // A change standing alone (中央企业同比增长36.4%, 两年平均增长13.8%) is one of the
            // metric named before it, for the owner it names.
            if c[k].isPercent, before.changeSign != 0, c[k].change != nil,
               cachedSubjectLike(c[k].metric) || c[k].metric.isEmpty || Self.basisWords.contains(c[k].metric)
                || c[k].metric.hasSuffix("后") || c[k].metric.hasPrefix("较") || c[k].metric.hasPrefix("比"),
               let previous = previousAmount(c, k) ?? previousPercent(c, k) {
                if cachedSubjectLike(c[k].metric) {
                    c[k].subject = strip(c[k].metric)
                } else if c[k].subject.isEmpty, c[previous].partSubject {
                    // …其中中央企业300亿元，同比增长22%，两年平均增长7.9%: the part's owner.
                    c[k].subject = c[previous].subject
                    c[k].partSubject = true
                }
                c[k].metric = c[previous].metric
            }
            // 以22866万吨的吞吐量: the metric follows the figure, the owner stands before it.
            if c[k].end + 1 < s.count, s[c[k].end] == "的", c[k].metric.isEmpty || c[k].metric.hasSuffix("以"),
               let noun = lexicon.metrics.first(where: { matches($0, at: c[k].end + 1) }) {
                let owner = strip(String(c[k].metric.dropLast(c[k].metric.hasSuffix("以") ? 1 : 0)))
                c[k].metric = noun
                c[k].end += 1 + noun.unicodeScalars.count
                if cachedSubjectLike(owner) { c[k].subject = owner }
            }
            // A percentage with no name before it may name what follows (完成70%以上改革主体任务).
            if c[k].metric.isEmpty, c[k].isPercent, let noun = nounAfter(c[k].end) {
                c[k].metric = noun.text
                c[k].end = noun.end
            }
            // A figure with no name right after another, joined by 、, is the same thing counted
            // in another unit (去程4620列、49.9万标箱).
            if c[k].metric.isEmpty, !c[k].isPercent, !c[k].isPoints, k > 0, !c[k - 1].consumed, !c[k - 1].metric.isEmpty,
               c[k - 1].sentence == c[k].sentence, c[k].start == c[k - 1].end + 1, s[c[k - 1].end] == "、" {
                c[k].metric = c[k - 1].metric
                if c[k].subject.isEmpty { c[k].subject = c[k - 1].subject }
            }
            // A figure left without a name takes the metric of the one before it in the
            // sentence with the same unit (…吞吐量…，预计全年将达到4330万标准箱).
            if c[k].metric.isEmpty, let previous = previousNamed(c, k, unit: c[k].unitKey) {
                c[k].metric = c[previous].metric
                if c[k].subject.isEmpty { c[k].subject = c[previous].subject }
            }
            // 个百分点 left without a name is the change in points of the percentage before it.
            if c[k].metric.isEmpty, c[k].isPoints, let previous = previousPercent(c, k) {
                c[k].metric = c[previous].metric
                if c[k].subject.isEmpty { c[k].subject = c[previous].subject }
            }
            k += 1
        }
    }

    /// Pairs a 分别 list with figures: as metrics (with a change, or percentages) or as
    /// subjects of one metric (浦东机场和虹桥机场客流量分别为…).
    func pair(_ c: inout [Candidate], _ run: [Int], _ items: [String], _ before: Before, metrics: Bool) {
        for (n, m) in run.enumerated() {
            c[m].paired = true
            if m != run[0], c[m].isPercent, before.changeSign != 0 {
                c[m].change = Double(before.changeSign) * c[m].value
            }
            if n > 0 { c[m].qualifiers = c[run[0]].qualifiers.filter(\.before) + c[m].qualifiers }
        }
        if metrics {
            let shared = splitSubject(items[0]).subject
            for (m, item) in zip(run, items) {
                let split = splitSubject(item)
                c[m].metric = split.metric
                c[m].subject = !split.subject.isEmpty ? split.subject : !shared.isEmpty ? shared : strip(before.subject)
                c[m].metricStart = c[m].start
            }
            return
        }
        // Subjects: the last item carries the metric after a subject as long as the first one.
        let last = items[items.count - 1]
        // 甲和乙的旅客吞吐量分别…: the metric follows 的.
        if let de = last.firstIndex(of: "的"), last.index(after: de) < last.endIndex {
            let metric = String(last[last.index(after: de)...])
            let names = Array(items.dropLast()) + [String(last[..<de])]
            for (m, name) in zip(run, names) {
                c[m].metric = metric
                c[m].subject = name
                c[m].metricStart = c[m].start
            }
            return
        }
        let known = subjects.first { last.hasPrefix($0) && last.count > $0.count }
        let subjectLength = known?.count ?? min(items[0].count, max(0, last.count - 1))
        let metric = String(last.dropFirst(subjectLength))
        let names = Array(items.dropLast()) + [String(last.prefix(subjectLength))]
        for (m, name) in zip(run, names) {
            c[m].metric = metric
            c[m].subject = name
            c[m].metricStart = c[m].start
        }
    }

    /// The items of 甲、乙和丙.
    func listItems(_ text: String) -> [String] {
        text.split(whereSeparator: { "、和及与".contains($0) }).map(String.init).filter { !$0.isEmpty }
    }

    func gapIsListSeparator(_ from: Int, _ to: Int) -> Bool {
        guard to >= from, to - from <= 1 else { return false }
        return to == from || Self.listJoiners.contains(s[from])
    }

    /// What stands before a number: qualifiers and verbs set aside, a change phrase (for a
    /// percentage), a comparison (较2021年), 分别; then the noun phrase, and before a verb
    /// that ends it on the left, the subject.
    struct Before {
        var qualifiers: [Qualifier] = []
        var changeSign = 0
        var respectively = false
        var phrase: (text: String, start: Int) = ("", 0)
        var phraseEnd = 0
        var subject = ""
        var subjectRange = 0..<0
        /// X of X的Y when X names an owner (中央企业的劳动生产率), else "".
        var owner = ""
    }

    func phraseBefore(_ start: Int, percent: Bool) -> Before {
        var result = Before()
        // Some pages print a space between the words and the number (利润总额 2764 亿元).
        var i = start > 0 && s[start - 1] == " " && start > 1 && !punctuation.contains(s[start - 2]) ? start - 1 : start
        var progress = true
        while progress {
            progress = false
            if let q = lexicon.beforeWords.ending(in: s, before: i) {
                result.qualifiers.insert(Qualifier(text: lexicon.beforeWords.strings[q.index], before: true), at: 0)
                i -= q.length
                progress = true
            } else if let change = lexicon.changeWords.ending(in: s, before: i), lexicon.changeSignByIndex[change.index] != 0 {
                // Before a count (比上年末减少5.4万人) the change verb is only set aside.
                if percent { result.changeSign = lexicon.changeSignByIndex[change.index] }
                if lexicon.changeIsRespectively[change.index] { result.respectively = true }
                i -= change.length
                progress = true
            } else if i >= 2, s[i - 2] == "分", s[i - 1] == "别" {
                result.respectively = true
                i -= 2
                progress = true
            } else if let verb = lexicon.verbWords.ending(in: s, before: i) {
                i -= verb.length
                progress = true
            } else if let comparison = comparisonStart(before: i) {
                i = comparison
                progress = true
            } else if let rate = Self.rateWords.ending(in: s, before: i) {
                i -= rate.length
                progress = true
            }
        }
        // The noun phrase: back to punctuation, a digit or a verb of two characters or more
        // (one-character verbs such as 有 also occur inside names: 国有企业).
        // After 分别 the phrase is a list (甲、乙和丙), so 、 does not end it.
        var k = i
        while k > 0, !isBoundary(s[k - 1]) || (result.respectively && s[k - 1] == "、") || (isDigit(s[k - 1]) && k < s.count && isASCIILetter(s[k])),
              i - k < 30 || (result.respectively && i - k < 40), !endsWithBoundaryVerb(k) {
            k -= 1
        }
        // Time words and function words in front are not part of the name (全年营业收入,
        // 占科创板上市企业总数); a phrase that is only a time word names nothing. Worked on
        // positions; the phrase becomes a String once.
        var phraseStart = afterCount(k, i)
        while phraseStart < i, let prefix = Self.leadingWords.first(in: s, at: phraseStart), phraseStart + prefix.length <= i {
            phraseStart += prefix.length
        }
        // X的Y names Y (被投资的科创企业平均估值 → 科创企业平均估值).
        if !result.respectively, let de = (phraseStart..<i).last(where: { s[$0] == "的" }), de + 1 < i {
            let x = strip(text(phraseStart, de))
            if cachedSubjectLike(x) { result.owner = x }
            phraseStart = de + 1
        }
        result.phrase = (text(phraseStart, i), phraseStart)
        result.phraseEnd = i
        // The subject: what stands before the verb that ended the phrase.
        if k > 0, endsWithBoundaryVerb(k), let verb = lexicon.boundaryVerbWords.ending(in: s, before: k) {
            var end = k - verb.length
            var stripped = true
            while stripped {
                stripped = false
                if let w = lexicon.verbWords.ending(in: s, before: end) ?? lexicon.beforeWords.ending(in: s, before: end) {
                    end -= w.length
                    stripped = true
                }
            }
            // A note in parentheses between the owner and its verb is passed over
            // (上海地方国有企业（不含市属金融企业）实现营业收入).
            if end > 0, s[end - 1] == "）" || s[end - 1] == ")", let open = opening(before: end - 1) { end = open }
            var b = end
            while b > 0, !isBoundary(s[b - 1]), end - b < 16 { b -= 1 }
            let counted = afterCount(b, end)
            result.subject = text(counted, end)
            if counted != b, lexicon.notFigureWords.first(in: s, at: b) == nil {
                // After a count the counted noun is the subject only when it reads as an owner.
                let noun = strip(result.subject)
                if !looksLikeSubject(noun) || subjects.contains(noun) || noun.count < 3 { result.subject = "" }
                // 华东地区47个机场完成…: the owner is what stands before the count when it names one.
                var a = b - 1
                while a > 0, isDigit(s[a - 1]) || s[a - 1] == "." { a -= 1 }
                var p = a
                while p > 0, !isBoundary(s[p - 1]), a - p < 16 { p -= 1 }
                let owner = strip(text(p, a))
                if cachedSubjectLike(owner) { result.subject = owner; result.subjectRange = 0..<0; return result }
            }
            b = counted
            result.subjectRange = b..<end
        }
        return result
    }

    /// Rates set aside right before a number (每小时30.6自然箱, 人均76.3万元).
    static let rateWords = Words(["每小时", "每日", "每天", "每周", "每月", "每年", "人均"])

    /// A phrase that starts right after a number starts after its date word or measure word
    /// (2023年本市… → 本市…, 25家省属企业 → 省属企业, 1-5月 → nothing): a subject is never a
    /// fragment of a word.
    func afterCount(_ b: Int, _ end: Int) -> Int {
        guard b > 0, b < end, isDigit(s[b - 1]) else { return b }
        if let w = lexicon.notFigureWords.first(in: s, at: b), b + w.length <= end { return b + w.length }
        if let u = lexicon.unitWords.first(in: s, at: b), b + u.length <= end { return b + u.length }
        return b
    }
    /// What follows 比 in a comparison (比上年, 比去年, 比同期).
    static let comparedWith = ScalarSet("上去同")
    /// Time and function words that are not part of a name at its front.
    static let leadingWords = Words(timePrefixes + leadingFunctionWords)

    /// Whether a verb of two characters or more ends right before `k` and is a verb there: one
    /// followed by 率, 量, 额 … is part of a name (完成率, 投放量).
    func endsWithBoundaryVerb(_ k: Int) -> Bool {
        guard lexicon.boundaryVerbWords.ending(in: s, before: k) != nil else { return false }
        return k >= s.count || !Self.nameSuffixes.contains(s[k])
    }

    /// `较2021年`, `较上年`, `比上年`, `较一季度` before position `i`: where it starts.
    func comparisonStart(before i: Int) -> Int? {
        var k = i - 1
        while k >= 0, i - k <= 8, !isBoundary(s[k]) || isDigit(s[k]) {
            if s[k] == "较" || (s[k] == "比" && k + 1 < s.count && Self.comparedWith.contains(s[k + 1])) { return k }
            k -= 1
        }
        return nil
    }

    /// The noun after a count with a measure word (370家商户门店), when one follows.
    func countedNoun(_ c: Candidate) -> (text: String, end: Int)? {
        guard !c.isPercent, c.isMeasure, c.unitEnd == c.end else { return nil }
        return nounAfter(c.unitEnd)
    }

    /// A noun of two to six characters starting at `start`, up to punctuation, a particle or
    /// a verb.
    func nounAfter(_ start: Int) -> (text: String, end: Int)? {
        var j = start
        while j < s.count, j - start < 6, !isBoundary(s[j]), !nounStops.contains(s[j]),
              lexicon.boundaryVerbWords.first(in: s, at: j) == nil {
            j += 1
        }
        guard j - start >= 2 else { return nil }
        return (text(start, j), j)
    }

    /// A known subject at the front of a phrase is split off (上汽集团新能源汽车销量); else a
    /// known metric at its end (虹桥两场航班量 → 航班量).
    /// `splitSubject` of the phrase at scalar positions `range`, keyed by a slice.
    func splitSubject(at range: Range<Int>, _ phrase: String) -> (subject: String, metric: String, offset: Int) {
        guard !issueText.isEmpty, range.lowerBound < range.upperBound else { return splitSubject(phrase) }
        let key = BytesKey(issueText[offsets[range.lowerBound]..<offsets[range.upperBound]])
        if let known = cache.splitSlices[key] { return known }
        let result = splitSubjectUncached(phrase)
        cache.splitSlices[key] = result
        return result
    }

    func splitSubject(_ phrase: String) -> (subject: String, metric: String, offset: Int) {
        let key = TextKey(phrase)
        if let known = cache.split[key] { return known }
        let result = splitSubjectUncached(phrase)
        cache.split[key] = result
        return result
    }

    func splitSubjectUncached(_ phrase: String) -> (subject: String, metric: String, offset: Int) {
        let tables = self.tables
        if let known = tables.subjects.first(prefixOf: phrase, where: { phrase.count > $0.count + 1 }) {
            let rest = String(phrase.dropFirst(known.count))
            // 全市 + 国有企业资产总额: the owner goes on up to a known metric.
            if let metric = tables.metrics.first(suffixOf: rest, where: { rest.count > $0.count + 1 }) {
                let owner = known + String(rest.dropLast(metric.count))
                if looksLikeSubject(owner) { return (owner, metric, owner.unicodeScalars.count) }
            }
            return (known, rest, known.unicodeScalars.count)
        }
        if !lexicon.metrics.contains(phrase),
           let metric = tables.metrics.first(suffixOf: phrase, where: { phrase.count > $0.count + 1 }) {
            let subject = String(phrase.dropLast(metric.count))
            if looksLikeSubject(strip(subject)), tables.metrics.first(suffixOf: subject) == nil {
                return (strip(subject), metric, subject.unicodeScalars.count)
            }
        }
        // An owner of three characters or more in front (政府产业基金初始规模, 市属国企资产总额).
        let scalars = Array(phrase.unicodeScalars)
        if scalars.count >= 5 {
            for cut in stride(from: scalars.count - 2, through: 3, by: -1) {
                let owner = String(String.UnicodeScalarView(scalars[..<cut]))
                guard Self.ownerSuffixes.contains(where: { owner.hasSuffix($0) }) else { continue }
                let rest = String(String.UnicodeScalarView(scalars[cut...]))
                if !looksLikeSubject(rest) { return (strip(owner), rest, cut) }
            }
        }
        return ("", phrase, 0)
    }

    /// The word tables of this extractor's lexicon and subjects: those of the run, or made
    /// once per worker.
    var tables: PhraseTables {
        if let sharedTables { return sharedTables }
        if let known = cache.tables, known.lexicon == ObjectIdentifier(lexicon), known.subjectList.count == subjects.count,
           known.subjectList.withUnsafeBufferPointer({ a in subjects.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }) {
            return known
        }
        let made = PhraseTables(lexicon: lexicon, subjects: subjects)
        cache.tables = made
        return made
    }

    /// `looksLikeSubject` and not ending with a known metric, remembered per phrase.
    func cachedSubjectLike(_ text: String) -> Bool {
        let key = TextKey(text)
        if let known = cache.subjectLike[key] { return known }
        let result = looksLikeSubject(text) && tables.metrics.first(suffixOf: text) == nil
        cache.subjectLike[key] = result
        return result
    }

    /// Whether a phrase names who something belongs to: a known name, or one ending as
    /// organisations and places do (…集团, …机场, …港区, 两场).
    func looksLikeSubject(_ text: String) -> Bool {
        guard text.count >= 2 else { return false }
        if subjects.contains(text) { return true }
        guard let last = text.unicodeScalars.last, Self.subjectEndingLasts.contains(last) else { return false }
        return Self.subjectEndings.contains { text.hasSuffix($0) }
    }

    /// How names of organisations and places end (…集团, …机场, …港区, 两场).
    static let subjectEndings = ["企业", "集团", "公司", "机场", "港区", "区", "市", "场", "局", "委", "行", "所", "园", "中心", "基金", "港", "站",
                                 "管委会", "国企", "央企", "港口", "码头", "地区", "枢纽", "机场群", "省", "县", "国资", "国有资产"]
    /// Their last scalars: a name ending in another has none of them (checked first, as
    /// `hasSuffix` on CJK text is slow).
    static let subjectEndingLasts = ScalarSet(subjectEndings.compactMap(\.unicodeScalars.last))

    /// Whether the sentence holding position `i` opens with 其中.
    func sentenceStartsWithAmong(_ sentence: Int) -> Bool {
        let k = cache.sentenceStarts[sentence]
        return k + 1 < s.count && s[k] == "其" && s[k + 1] == "中"
    }

    /// Whether `其中` (and a comma) stands right before position `i`.
    func clauseStartsWithAmong(_ i: Int) -> Bool {
        var k = i
        if k > 0, s[k - 1] == "，" || s[k - 1] == "," || s[k - 1] == ":" || s[k - 1] == "：" { k -= 1 }
        return k >= 2 && s[k - 2] == "其" && s[k - 1] == "中"
    }

    /// The nearest percentage before `k` with a metric.
    func previousPercent(_ c: [Candidate], _ k: Int) -> Int? {
        var m = k - 1
        while m >= 0, k - m <= Self.lookBack {
            if !c[m].consumed, !c[m].metric.isEmpty, c[m].isPercent { return m }
            m -= 1
        }
        return nil
    }

    /// The nearest figure before `k` with a metric that is not a percentage.
    func previousAmount(_ c: [Candidate], _ k: Int) -> Int? {
        var m = k - 1
        while m >= 0, k - m <= Self.lookBack {
            if !c[m].consumed, !c[m].metric.isEmpty, !c[m].isPercent, !c[m].isPoints { return m }
            m -= 1
        }
        return nil
    }

    /// The nearest figure before `k` with a metric and the same unit.
    func previousNamed(_ c: [Candidate], _ k: Int, unit: Int) -> Int? {
        var m = k - 1
        while m >= 0, k - m <= Self.lookBack {
            if !c[m].consumed, !c[m].metric.isEmpty, c[m].unitKey == unit { return m }
            m -= 1
        }
        return nil
    }

    /// Trims verbs, qualifiers, time and function words from the ends of a subject; one
    /// character left is no subject (并, 被).
    /// `strip` of the text at scalar positions `range`, keyed by a slice of the issue's bytes.
    func strip(at range: Range<Int>, _ text: String) -> String {
        guard !issueText.isEmpty, range.lowerBound < range.upperBound else { return strip(text) }
        let key = BytesKey(issueText[offsets[range.lowerBound]..<offsets[range.upperBound]])
        if let known = cache.strippedSlices[key] { return known }
        let result = stripUncached(text)
        cache.strippedSlices[key] = result
        return result
    }

    func strip(_ text: String) -> String {
        let key = TextKey(text)
        if let known = cache.stripped[key] { return known }
        let result = stripUncached(text)
        cache.stripped[key] = result
        return result
    }

    func stripUncached(_ text: String) -> String {
        var t = text
        var changed = true
        while changed {
            changed = false
            if let p = tables.stripPrefixes.first(prefixOf: t) { t = String(t.dropFirst(p.count)); changed = true }
            if let w = tables.stripSuffixes.first(suffixOf: t) {
                t = String(t.dropLast(w.count)); changed = true
            }
        }
        // A time stretch in front (春节期间全国铁路) is no part of the name.
        let scalars = Array(t.unicodeScalars)
        if let k = scalars.indices.dropLast().first(where: { scalars[$0] == "期" && scalars[$0 + 1] == "间" }), scalars.count - (k + 2) >= 2 {
            t = String(String.UnicodeScalarView(scalars[(k + 2)...]))
        }
        // A known name inside what stands before (全市百联集团旗下) is the subject.
        if !subjects.contains(t), let known = organisations.first(where: { t.contains($0) }) { return known }
        return t.count >= 2 ? t : ""
    }

    /// Parts of a breakdown take the metric of their figure; what stands before their
    /// number is their subject (浦东机场5.6万架次).
    func nameParts(_ c: inout [Candidate]) {
        for k in c.indices {
            guard let parent = c[k].parent else { continue }
            let before = phraseBefore(c[k].start, percent: c[k].isPercent)
            var phrase = strip(before.phrase.text)
            // A conversion (折合74.3亿美元) is the same figure in another unit: same metric.
            if Self.conversionWords.contains(phrase) || Self.conversionWords.contains(before.phrase.text) { phrase = "" }
            // A part named by what it is rather than whose it is (其中港澳台航线旅客88.3万人次)
            // is a metric of its own, of the parent's subject.
            if !phrase.isEmpty, !cachedSubjectLike(phrase) {
                c[k].metric = phrase
                c[k].subject = ""
                c[k].metricStart = before.phrase.start
                c[k].qualifiers = before.qualifiers + c[k].qualifiers
                continue
            }
            c[k].metric = c[parent].metric
            c[k].subject = phrase
            c[k].metricStart = before.phrase.start
            c[k].qualifiers = before.qualifiers + c[k].qualifiers
        }
    }

    /// A figure with no subject of its own takes the last subject named before it in the
    /// paragraph, across 、，；and 。 (a part's subject and the items of a 分别 list are not
    /// carried on). A paragraph starts without one.
    func carrySubjects(_ c: inout [Candidate]) {
        var current = ""
        for k in c.indices where !c[k].consumed {
            if !isSubject(c[k].subject) { c[k].subject = "" }
            // A short name that ends the one named before refers back to it (政府产业基金 …
            // 基金集群总规模). Two scalars are at most eight bytes: counted only then.
            if !c[k].subject.isEmpty, c[k].subject.utf8.count <= 8, c[k].subject.unicodeScalars.count <= 2,
               current.hasSuffix(c[k].subject) {
                c[k].subject = current
            } else if !c[k].subject.isEmpty, c[k].subject.utf8.count <= 12, let fuller = fullerName(c[k].subject, before: c[k].start),
                      !current.hasSuffix(c[k].subject) {
                // …or to the fuller name that opened a clause earlier in the paragraph, in a
                // sentence with no figure (昆山市人工智能产业基金发布，基金总规模达50亿元).
                c[k].subject = fuller
            }
            if c[k].subject.isEmpty {
                c[k].subject = current
            } else if !c[k].paired, !c[k].partSubject, c[k].parent == nil {
                current = c[k].subject
            }
        }
    }

    /// The name that ends with `name` and opens a clause of the paragraph before `limit`
    /// (after punctuation or at the start, no digit, particle or verb in it), longer than
    /// `name`, read as an owner and no list; the nearest such one, at most `fullerNameReach` characters back. A
    /// known name of three characters or more (国有企业, 上海港) is a name of its own, not a
    /// short form.
    func fullerName(_ name: String, before limit: Int) -> String? {
        // Worked on scalars; the strings are compared only for a name found (most are not).
        // Counted without an array: this runs for most figures with a short subject.
        let scalars = name.unicodeScalars
        guard let first = scalars.first else { return nil }
        var length = 0
        for _ in scalars {
            length += 1
            if length > 4 { return nil }
        }
        var end = min(limit, s.count)
        let reach = max(length, end - Self.fullerNameReach)
        while end >= reach {
            if s[end - length] == first, matches(name, at: end - length) {
                var start = end - length
                while start > 0, !isBoundary(s[start - 1]), end - start < 16 { start -= 1 }
                // A name, not a clause: no particle (投资的科创企业, 加速了园区, 等特色产业园区),
                // verb (新增跨国公司) or list in it.
                if start == 0 || punctuation.contains(s[start - 1]), end - start > length,
                   !(start..<end).contains(where: { Self.clauseParticles.contains(s[$0]) || Self.listMarks.contains(s[$0])
                       || lexicon.boundaryVerbWords.first(in: s, at: $0) != nil }) {
                    if length >= 3, subjects.contains(name) { return nil }
                    let fuller = strip(text(start, end))
                    if fuller.unicodeScalars.count > length, fuller.hasSuffix(name), looksLikeSubject(fuller) { return fuller }
                }
            }
            end -= 1
        }
        return nil
    }

    static let listMarks = ScalarSet("、和及与")
    static let clauseParticles = ScalarSet("的了等着过")
    /// How far back a short name looks for its fuller form (a bound keeps extraction linear).
    static let fullerNameReach = 300

    /// Whether a name can be a subject: two characters or more, not a time word, a number,
    /// a metric or a verb (年本市…, 个月, 收到 are fragments).
    func isSubject(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        // Remembered per name: comparing CJK strings against the word lists at every figure
        // made extraction three times slower.
        let key = TextKey(name)
        if let known = cache.isSubject[key] { return known }
        let result = isSubjectUncached(name)
        cache.isSubject[key] = result
        return result
    }

    func isSubjectUncached(_ name: String) -> Bool {
        guard name.unicodeScalars.count >= 2, let first = name.unicodeScalars.first, !isDigit(first) else { return false }
        if lexicon.metrics.contains(name) || lexicon.verbs.contains(name) || Self.notNames.contains(name) { return false }
        if Self.timePrefixes.contains(name) || lexicon.notFigures.contains(name) { return false }
        if Self.fragmentStarts.contains(first), !subjects.contains(name) { return false }
        return true
    }

    static let comparisonMarks = ScalarSet("较比与同")
    /// What a subject never starts with: the tail of a date or a count (年本市…, 家省属企业).
    static let fragmentStarts = ScalarSet("年月个家户项余多")
    static let maximumParenthetical = 400
    /// Adverbs and function words that are never a subject on their own.
    static let notNames: Set<String> = ["实际", "分别", "同期", "当月", "其中", "合计", "共计", "总计", "累计", "此外", "同时"]
    /// Words that open a conversion in parentheses (（折合74.3亿美元）).
    static let conversionWords: Set<String> = ["折合", "约合", "合", "折", "相当于"]
    /// Endings of an owner written in front of its metric without a verb between.
    static let ownerSuffixes = ["企业", "集团", "公司", "机场", "国企", "央企", "基金", "港口", "港", "开发区", "经开区", "高新区", "园区", "新区"]
    /// What may stand alone before a change verb without naming a metric (两年平均增长13.8%).
    static let basisWords: Set<String> = ["两年平均", "同比", "环比", "年均", "平均"]
    /// Bounds that, with 的 after the unit, name a category (年销售额不低于500万元的企业).
    static let categoryBounds = Words(["不低于", "不少于", "不超过", "高于", "低于", "超过"])

    func boundBefore(_ i: Int) -> Bool {
        let k = i > 0 && s[i - 1] == " " ? i - 1 : i
        return Self.categoryBounds.ending(in: s, before: k) != nil
    }

    /// Units that after 前 make a rank (前10位, 前3名).
    static let rankUnits: Set<String> = ["位", "名", "强"]
    /// How many figures back a figure without a name looks for one with the same unit.
    static let lookBack = 64

    /// The year a figure describes (worked out in `figures` while walking the marks): the
    /// nearest YYYY年 before it in the paragraph that is not a comparison; else the nearest
    /// 今年 or 去年, from the issue date.

    /// The finished figures of the paragraph.
    func figures(article: Int32, block: Int32) -> [Figure] {
        var result: [Figure] = []
        figures(article: article, block: block, into: &result)
        return result
    }

    /// The same, appended to `result` (no array per paragraph copied into the issue's).
    func figures(article: Int32, block: Int32, into result: inout [Figure]) {
        // Many paragraphs hold numbers that are not figures (a year, a date): nothing more
        // is worked out for them.
        let found = extract()
        guard found.contains(where: \.isFigure) else { return }
        // Marks and sentences after the last figure's are never asked for: neither walk goes
        // further.
        var lastStart = 0
        for k in found.indices where found[k].isFigure { lastStart = max(lastStart, found[k].start) }
        let sentenceRanges = sentencesToLastFigure()
        let marks = timeMarks(upTo: lastStart)
        var mark = 0
        // The marks of the paragraph, and those of the parentheses last entered on top of
        // them, which hold up to where the parentheses close.
        var outer = TimeState(), inner = TimeState(), innerUntil = -1
        // The code of the last span used, by its mark's position: worked out once per mark
        // rather than once per figure.
        var spanMemo = (position: -1, code: UInt16(0))
        var named = NamedSubjects()
        for c in found where c.isFigure {
            // Figures come in text order: the marks before each are found by walking on.
            while mark < marks.count, marks[mark].position < c.start {
                let m = marks[mark]
                if let until = m.until {
                    if until != innerUntil { inner = outer; innerUntil = until }
                    inner.take(m, issueYear: issueYear)
                } else {
                    outer.take(m, issueYear: issueYear)
                }
                mark += 1
            }
            let time = c.start < innerUntil ? inner : outer
            let lastSpan = time.span
            let period = time.year ?? issueYear.flatMap { year in time.relative.map { year + $0 } } ?? periodFromIssue(lastSpan)
            let subject = c.subject.isEmpty ? namedBefore(c.start, &named) : c.subject
            var exact: Double? = c.value
            if c.exponent > 0 {
                // An integer times a power of ten is exact; other cases round once from text.
                if let d = Quantity.decimal(s, from: c.start), c.exponent >= d.places, d.mantissa < (1 << 53),
                   c.exponent - d.places <= 22 {
                    exact = Double(d.mantissa) * Quantity.exactPowers[c.exponent - d.places]
                } else {
                    exact = Double(Quantity.digitText(s, from: c.start, to: c.lowEnd) + "e\(c.exponent)")
                }
            }

            let textStart = min(c.metricStart, c.start)
            let textEnd = max(c.unitEnd, c.end)
            let sentence = c.sentence < sentenceRanges.count ? sentenceRanges[c.sentence] : 0..<s.count
            var figure = Figure(article: article, block: block, metric: c.metric, value: c.value,
                          unitCode: UInt32(c.magnitudeIndex) << 16 | UInt32(c.unitIndex), amount: exact ?? c.value,
                          qualifier: joinedQualifiers(c.qualifiers), change: c.change, period: period,
                          subject: subject, text: ByteRange(offsets[textStart], offsets[textEnd]),
                          sentence: ByteRange(offsets[sentence.lowerBound], offsets[sentence.upperBound]),
                          valueHigh: c.valueHigh, changeBasis: c.change == nil ? "" : c.changeBasis.isEmpty ? "同比" : c.changeBasis,
                          changeAbsolute: c.changeAbs, cumulative: isCumulative(c.start), source: source)
            // Span and change unit go in as codes: `lastSpan`'s, and the change unit's (% when
            // unstated), found among the first labels listed.
            if let mark = lastSpan, let span = mark.span {
                if mark.position != spanMemo.position { spanMemo = (mark.position, FigureLabels.shared.code(span)) }
                figure.spanCode = spanMemo.code
            }
            figure.changeUnitCode = c.change == nil ? 0 : FigureLabels.shared.code(c.changeUnit.isEmpty ? "%" : c.changeUnit)
            result.append(consume figure)
        }
    }

    /// The marks in force at a point of the paragraph: the nearest of YYYY年 and 今年/去年
    /// says the year (今年 only when the issue has a year to count from), the nearest span
    /// mark the span.
    struct TimeState {
        var year: Int?, relative: Int?, span: TimeMark?

        mutating func take(_ m: TimeMark, issueYear: Int?) {
            if let y = m.year { year = y; relative = nil }
            if let r = m.relative, let issueYear { relative = r; year = issueYear + r }
            if m.span != nil { span = m }
        }
    }

    /// Known subjects named in the paragraph, read once from the start up to each figure in
    /// turn: a figure that has no subject of its own or carried takes the last one named
    /// before it (1-5月，市属国企主要经济指标…；实现营业收入…).
    struct NamedSubjects {
        var position = 0
        var last = ""
    }

    func namedBefore(_ start: Int, _ named: inout NamedSubjects) -> String {
        guard let words = subjectWords else { return "" }
        // Most characters start no name: the bitmap is asked here, before the call.
        let firsts = words.firsts
        while named.position < start {
            if firsts.contains(s[named.position]), let w = words.first(in: s, at: named.position), named.position + w.length <= start {
                named.last = words.strings[w.index]
                named.position += w.length
            } else {
                named.position += 1
            }
        }
        return named.last
    }

    /// The year of a span stated without one (1-10月): the issue's, or the year before when
    /// the span ends after the issue's month (1-12月 in an issue of January). A span of a
    /// whole year, or no span, gives none.
    func periodFromIssue(_ mark: TimeMark?) -> Int? {
        guard let issueYear, let mark, mark.span != "year" || mark.months, let end = mark.endMonth else { return nil }
        if let issueMonth, end > issueMonth { return issueYear - 1 }
        return issueYear
    }

    /// Qualifiers in text order: words before the number run together (累计超过); a word after
    /// the number or unit follows an ellipsis when there are words before (达到…以上).
    func joinedQualifiers(_ words: [Qualifier]) -> String {
        // Most figures have none, and most others one.
        if words.isEmpty { return "" }
        if words.count == 1 { return words[0].before && words[0].text == "约为" ? "约" : words[0].text }
        let before = words.filter(\.before).map { $0.text == "约为" ? "约" : $0.text }
        let after = words.filter { !$0.before }.map(\.text)
        if before.isEmpty || after.isEmpty { return (before + after).joined() }
        return before.joined() + "…" + after.joined()
    }

    /// The sentences of the paragraph as scalar ranges, up to the one of the last figure:
    /// `extract` noted where each starts on its walk to the last candidate, so only the end
    /// of the last is looked for.
    func sentencesToLastFigure() -> [Range<Int>] {
        let starts = cache.sentenceStarts
        var result: [Range<Int>] = []
        result.reserveCapacity(starts.count)
        for n in 0..<(starts.count - 1) { result.append(starts[n]..<starts[n + 1]) }
        let last = starts[starts.count - 1]
        var end = last
        while end < s.count, !sentenceEnds.contains(s[end]) { end += 1 }
        if end < s.count {
            result.append(last..<(end + 1))
        } else if last < s.count {
            result.append(last..<s.count)
        }
        return result
    }
}

/// Answers the extractor has worked out for phrases, kept by one worker for the issues it
/// reads: the same subjects and metrics recur throughout a corpus.
///
/// Keyed by UTF-8 bytes: hashing and comparing CJK `String`s checks Unicode normalization,
/// which cost more than the answers saved.
final class PhraseCache {
    var stripped: [TextKey: String] = [:]
    var split: [TextKey: (subject: String, metric: String, offset: Int)] = [:]
    /// The same, keyed by slices of an issue's bytes (no copy per lookup).
    var strippedSlices: [BytesKey: String] = [:]
    var splitSlices: [BytesKey: (subject: String, metric: String, offset: Int)] = [:]
    var subjectLike: [TextKey: Bool] = [:]
    var isSubject: [TextKey: Bool] = [:]
    /// The extractor's word lists for prefix and suffix search, made on first use for the
    /// lexicon and subjects of the worker's extractors.
    var tables: PhraseTables?
    /// The paragraph being read, decoded; reused from paragraph to paragraph.
    var scalars: [Unicode.Scalar] = []
    var offsets: [Int] = []
    /// Asked every few thousand characters of a paragraph (Ctrl-C); once it says yes,
    /// `stopped` stays set and the paragraph yields nothing.
    var stop: () -> Bool = { false }
    /// Where each sentence of the paragraph starts (scalar positions), up to the last figure.
    var sentenceStarts: [Int] = []
    var stopped = false
}

/// Word lists the extractor searches for a prefix or suffix of a phrase, in the order it
/// searches them. A class: each paragraph's extractor holds them with one reference.
final class PhraseTables: Sendable {
    /// Which lexicon and subject list they were made from (the list is held, so that its
    /// storage, compared by address, stays its own).
    let lexicon: ObjectIdentifier, subjectList: [String]
    let subjects: AffixTable, metrics: AffixTable
    /// What `strip` trims from the front and from the end of a name.
    let stripPrefixes: AffixTable, stripSuffixes: AffixTable

    init(lexicon: Lexicon, subjects: [String]) {
        self.lexicon = ObjectIdentifier(lexicon)
        subjectList = subjects
        self.subjects = AffixTable(subjects)
        metrics = AffixTable(lexicon.metrics)
        stripPrefixes = AffixTable(FigureExtractor.timePrefixes + FigureExtractor.leadingFunctionWords)
        stripSuffixes = AffixTable(lexicon.verbs + lexicon.qualifiersBefore + FigureExtractor.timeSuffixes + FigureExtractor.trailingFunctionWords)
    }
}

/// A hedge or bound and where it stood: before the number (约, 累计超过) or after it (以上, 余).
struct Qualifier {
    var text: String
    var before: Bool
}

/// A `String` as a dictionary key, hashed and compared by its UTF-8 bytes in one block (no
/// normalization, no array made per lookup).
struct TextKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: TextKey, b: TextKey) -> Bool {
        a.text.utf8.count == b.text.utf8.count && BytesKey.withBytes(a.text) { x in BytesKey.withBytes(b.text) { y in BytesKey.equal(x, y) } }
    }

    func hash(into hasher: inout Hasher) {
        BytesKey.withBytes(text) { hasher.combine(bytes: $0) }
    }
}

/// A slice of an issue's bytes as a dictionary key, hashed in one block rather than byte by
/// byte as `ArraySlice`'s own hashing does.
struct BytesKey: Hashable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    static func == (a: BytesKey, b: BytesKey) -> Bool {
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in equal(x, y) } }
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func equal(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
    }

    /// The UTF-8 bytes of `text`, in place for a native string, else copied once.
    static func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(text.utf8).withUnsafeBytes(body)
    }
}
