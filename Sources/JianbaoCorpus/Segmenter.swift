import CSegment

/// Splits Chinese text into words (docs/WORDS.md). With the general dictionary installed
/// (`WordDictionary.installed`): the most probable path through the graph of dictionary and
/// lexicon words (`WordGraph`), then the rules for names and affixes (`rules.txt`). Without
/// it: ICU's dictionary word break iterator, with the lexicon joining on top — a lexicon word is
/// kept whole when it starts and ends where ICU put word boundaries (科|创|板 → 科创板), and
/// never cuts a word ICU found (同比 is not taken out of 同|比例).
///
/// Not thread-safe (it holds an ICU iterator and buffers): one per thread.
public final class Segmenter {
    let iterator: OpaquePointer?
    let dictionary: WordDictionary?
    let lexicon: ByteTrie
    let quantities: ByteTrie
    let suffixes: ScalarSet
    let rules: SegmentationRules
    var ends: [Int32] = []
    var kinds: [UInt8] = []
    var graph = WordGraph()
    /// The words of the current run of ideographs, as character indices into `graph`, before
    /// the rules join some of them.
    var runStarts: [Int32] = []
    var runEnds: [Int32] = []
    var runSources: [UInt8] = []

    /// A segmenter with these words, quantities and suffixes, on `dictionary` (the installed
    /// one by default); ICU's iterator when there is no dictionary.
    public init(_ vocabulary: SegmentationVocabulary, dictionary: WordDictionary? = WordDictionary.installed) {
        self.dictionary = dictionary
        iterator = dictionary == nil ? jb_segmenter_open() : nil
        lexicon = vocabulary.words
        quantities = vocabulary.quantities
        suffixes = vocabulary.suffixes
        rules = vocabulary.rules
    }

    deinit { jb_segmenter_close(iterator) }

    /// Whether ICU's iterator is in use (no dictionary); without either, every character is a word.
    public var usesICU: Bool { iterator != nil }

    /// Whether the general dictionary is in use.
    public var usesDictionary: Bool { dictionary != nil }

    /// The words of `p[lower..<upper]` in order: `word(start, end)` for each word (byte offsets
    /// into `p`), `gap()` where spaces, punctuation or a number stand between two words.
    /// Numbers are not words here, nor the magnitude and unit after them: `营业收入3.65万亿元，`
    /// gives 营业收入 and a gap.
    @inline(__always)
    public func words(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int,
                      word: (Int, Int) -> Void, gap: () -> Void) {
        segment(p, lower, upper, word: { s, e, _ in word(s, e) }, gap: gap)
    }

    /// As `words`, with who decided each word.
    @inline(__always)
    public func segment(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int,
                        word: (Int, Int, WordSource) -> Void, gap: () -> Void) {
        let length = upper - lower
        guard length > 0, let base = p.baseAddress else { return }
        if ends.count < length {
            ends = [Int32](repeating: 0, count: max(length, 2 * ends.count))
            kinds = [UInt8](repeating: 0, count: ends.count)
        }
        if let dictionary {
            let n = Self.characters(p, lower, upper, &ends, &kinds)
            ends.withUnsafeBufferPointer { e in
                kinds.withUnsafeBufferPointer { k in
                    paths(p, lower, e, k, n, dictionary, word: word, gap: gap)
                }
            }
            return
        }
        let count = ends.withUnsafeMutableBufferPointer { e in
            kinds.withUnsafeMutableBufferPointer { k in
                iterator.map { jb_segment($0, base + lower, length, e.baseAddress, k.baseAddress, e.count) }
                    ?? Self.characters(p, lower, upper, e, k)
            }
        }
        let n = count >= 0 ? count : Self.characters(p, lower, upper, &ends, &kinds)
        ends.withUnsafeBufferPointer { e in
            kinds.withUnsafeBufferPointer { k in
                merge(p, lower, e, k, n, word: word, gap: gap)
            }
        }
    }

    /// The words of `text`, as strings.
    public func words(of text: String) -> [String] {
        explained(text).map(\.word)
    }

    /// The words of `text` with who decided each (`.segment`).
    public func explained(_ text: String) -> [(word: String, source: WordSource)] {
        var result: [(word: String, source: WordSource)] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { p in
            segment(p, 0, p.count, word: { s, e, source in
                result.append((String(decoding: p[s..<e], as: UTF8.self), source))
            }, gap: {})
        }
        return result
    }

    /// At a gap (punctuation, spaces) or a number: reports one gap and steps over it, and over
    /// the magnitude, unit or measure word after a number (3.65|万亿|元, 65|个|子基金: they
    /// belong to the number, never to the noun after it). False when segment `t` is a word.
    @inline(__always)
    func stepOverGap(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ ends: UnsafeBufferPointer<Int32>,
                     _ kinds: UnsafeBufferPointer<UInt8>, _ n: Int, _ t: inout Int, _ start: inout Int,
                     gap: () -> Void) -> Bool {
        let kind = kinds[t]
        guard kind == UInt8(JB_SEGMENT_NONE) || kind == UInt8(JB_SEGMENT_NUMBER) else { return false }
        gap()
        start = Int(ends[t])
        t += 1
        if kind == UInt8(JB_SEGMENT_NUMBER), t < n {
            let last = Self.longest(quantities, p, lower, start, ends, n, from: t)
            if last >= t {
                start = Int(ends[last])
                t = last + 1
            }
        }
        return true
    }

    /// Walks the segments, joining runs the lexicon names, and reports words and gaps.
    @inline(__always)
    private func merge(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ ends: UnsafeBufferPointer<Int32>,
                       _ kinds: UnsafeBufferPointer<UInt8>, _ n: Int,
                       word: (Int, Int, WordSource) -> Void, gap: () -> Void) {
        var t = 0
        var start = 0
        while t < n {
            if stepOverGap(p, lower, ends, kinds, n, &t, &start, gap: gap) { continue }
            let kind = kinds[t]
            let joined = lexiconWord(p, lower, start, ends, n, from: t)
            var end = max(Int(ends[t]), joined)
            var source: WordSource = joined > Int(ends[t]) ? .lexicon : kind == UInt8(JB_SEGMENT_LETTER) ? .letters : .icu
            // Past the segments the word covers; one it cut keeps its rest, from `end`.
            while t < n && Int(ends[t]) <= end { t += 1 }
            // 现代|化 → 现代化: a lone suffix character joins a word of two or more.
            if t < n, Int(ends[t]) - end <= 4, kinds[t] == UInt8(JB_SEGMENT_IDEO),
               suffixes.contains(UTF8Text.decode(p, lower + end).scalar),
               UTF8Text.scalarCount(p, lower + start, lower + end) >= 2,
               UTF8Text.scalarCount(p, lower + end, lower + Int(ends[t])) == 1 {
                end = Int(ends[t])
                t += 1
                source = .suffix
            }
            word(lower + start, lower + end, source)
            start = end
        }
    }

    /// The end (relative byte offset) of the lexicon word kept at `start` (in segment `t`), or 0
    /// for none: the
    /// longest that ends where an ICU word ends, or that cuts an ICU word whose rest starts
    /// another lexicon word (落|实习|近平 → 落实|习近平, while 同|比例 stays: no word starts
    /// with 例).
    @inline(__always)
    private func lexiconWord(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ start: Int,
                             _ ends: UnsafeBufferPointer<Int32>, _ n: Int, from t: Int) -> Int {
        let total = Int(ends[n - 1])
        var node = ByteTrie.root
        var position = start
        var u = t
        var best = 0
        let limit = min(total, start + lexicon.maxLength)
        while position < limit {
            node = lexicon.child(node, p[lower + position])
            if node < 0 { break }
            position += 1
            guard lexicon.isTerminal(node) else { continue }
            while u < n && Int(ends[u]) < position { u += 1 }
            if u < n && Int(ends[u]) == position {
                best = position
            } else if Self.startsWord(lexicon, p, lower, position, total) {
                best = position
            }
        }
        return best
    }

    /// Whether a word of `trie` starts at relative offset `start`.
    @inline(__always)
    private static func startsWord(_ trie: ByteTrie, _ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ start: Int, _ total: Int) -> Bool {
        var node = ByteTrie.root
        var position = start
        let limit = min(total, start + trie.maxLength)
        while position < limit {
            node = trie.child(node, p[lower + position])
            if node < 0 { return false }
            position += 1
            if trie.isTerminal(node) { return true }
        }
        return false
    }

    /// The index of the last segment of the longest word of `trie` that starts at byte
    /// `start` (the start of segment `t`) and ends where a segment ends; `t - 1` if none.
    @inline(__always)
    static func longest(_ trie: ByteTrie, _ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ start: Int,
                                _ ends: UnsafeBufferPointer<Int32>, _ n: Int, from t: Int) -> Int {
        var last = t - 1
        var node = ByteTrie.root
        var position = start
        var u = t
        let limit = min(Int(ends[n - 1]), start + trie.maxLength)
        while position < limit {
            node = trie.child(node, p[lower + position])
            if node < 0 { break }
            position += 1
            while u < n && Int(ends[u]) < position { u += 1 }
            if u < n && Int(ends[u]) == position && trie.isTerminal(node) { last = u }
        }
        return last
    }

    /// Without ICU: each run of ASCII letters is a word, each other letter or ideograph a word
    /// of its own, digits numbers, everything else a gap. Returns the segment count.
    static func characters(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int,
                           _ ends: UnsafeMutableBufferPointer<Int32>, _ kinds: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        var i = lower
        while i < upper {
            let start = i
            let kind: Int
            let b = p[i]
            if b < 0x80 {
                let isLetter: (UInt8) -> Bool = { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
                let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
                if isLetter(b) {
                    while i < upper, isLetter(p[i]) { i += 1 }
                    kind = JB_SEGMENT_LETTER
                } else if isDigit(b) {
                    while i < upper, isDigit(p[i]) || p[i] == 0x2E { i += 1 }
                    kind = JB_SEGMENT_NUMBER
                } else {
                    i += 1
                    kind = JB_SEGMENT_NONE
                }
            } else {
                let (scalar, length) = UTF8Text.decode(p, start)
                i += length
                if (0xFF10...0xFF19).contains(scalar.value) {
                    // Full-width digits (２０２３) and their point are a number too.
                    while i < upper {
                        let (next, n) = UTF8Text.decode(p, i)
                        guard (0xFF10...0xFF19).contains(next.value) || next.value == 0xFF0E else { break }
                        i += n
                    }
                    kind = JB_SEGMENT_NUMBER
                } else {
                    kind = CharacterClass.isWordCharacter(scalar) ? JB_SEGMENT_IDEO : JB_SEGMENT_NONE
                }
            }
            ends[n] = Int32(i - lower)
            kinds[n] = UInt8(kind)
            n += 1
        }
        return n
    }

    static func characters(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int,
                           _ ends: inout [Int32], _ kinds: inout [UInt8]) -> Int {
        ends.withUnsafeMutableBufferPointer { e in
            kinds.withUnsafeMutableBufferPointer { k in characters(p, lower, upper, e, k) }
        }
    }
}

/// Which characters count as letters of words (for `freq chars` and the fallback segmenter):
/// letters and ideographs, not digits, spaces, punctuation or symbols. A table over the Basic
/// Multilingual Plane, built once; other planes ask the Unicode properties.
public enum CharacterClass {
    private static let table: [Bool] = (0..<0x10000).map { v in
        Unicode.Scalar(UInt32(v)).map(classify) ?? false
    }

    private static func classify(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    public static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x10000 ? table[Int(c.value)] : classify(c)
    }
}
