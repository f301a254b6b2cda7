/// A word list prepared for matching inside a scalar buffer: each word as scalars, longest
/// first, with the sets of first and last scalars so that most positions are rejected at
/// once. The extractor tests these at every character of a paragraph; as `String`s the same
/// tests cost twenty times more (docs/BENCHMARKS.md).
///
/// A class: extractors made per paragraph hold their lists with one reference each, and the
/// words are stored end to end in one buffer, so a match touches no per-word array.
final class Words: Sendable {
    let items: [[Unicode.Scalar]]
    let strings: [String]
    let firsts: ScalarSet
    let lasts: ScalarSet
    /// Every word's scalars end to end, and where each starts (plus the end of the last).
    private let flat: [Unicode.Scalar]
    private let starts: [Int]
    /// The words by first and by last scalar, each group in `items`' order (longest first):
    /// a position whose scalar starts a few words tries those few, not the whole list (the
    /// subjects of a corpus run to hundreds, and they are tried at every character).
    private let byFirst: ScalarBuckets
    private let byLast: ScalarBuckets
    /// The index of the empty word, if the list has one: it matches wherever nothing longer
    /// does (and the position passed the first- or last-scalar test).
    private let empty: Int?

    init(_ words: [String]) {
        let sorted = Array(Set(words)).sorted { a, b in
            let (x, y) = (a.unicodeScalars.count, b.unicodeScalars.count)
            return x != y ? x > y : a < b
        }
        strings = sorted
        items = sorted.map { Array($0.unicodeScalars) }
        firsts = ScalarSet(items.compactMap(\.first))
        lasts = ScalarSet(items.compactMap(\.last))
        flat = items.flatMap { $0 }
        var starts = [0]
        for item in items { starts.append(starts[starts.count - 1] + item.count) }
        self.starts = starts
        byFirst = ScalarBuckets(items.map(\.first))
        byLast = ScalarBuckets(items.map(\.last))
        empty = items.firstIndex { $0.isEmpty }
    }

    /// The longest word starting at `i`, as (index in `strings`, length).
    func first(in s: [Unicode.Scalar], at i: Int) -> (index: Int, length: Int)? {
        guard i >= 0, i < s.count, firsts.contains(s[i]) else { return nil }
        for m in byFirst.group(s[i]) {
            let n = byFirst.members[m]
            let length = starts[n + 1] - starts[n]
            if matches(n, s, i) { return (n, length) }
        }
        return empty.map { ($0, 0) }
    }

    /// The longest word ending right before `i`.
    func ending(in s: [Unicode.Scalar], before i: Int) -> (index: Int, length: Int)? {
        guard i > 0, i <= s.count, lasts.contains(s[i - 1]) else { return nil }
        for m in byLast.group(s[i - 1]) {
            let n = byLast.members[m]
            let length = starts[n + 1] - starts[n]
            if i - length >= 0 && matches(n, s, i - length) { return (n, length) }
        }
        return empty.map { ($0, 0) }
    }

    /// Whether word `n` stands in `s` at `i`.
    @inline(__always)
    private func matches(_ n: Int, _ s: [Unicode.Scalar], _ i: Int) -> Bool {
        let a = starts[n], length = starts[n + 1] - a
        guard i >= 0, i + length <= s.count else { return false }
        var k = 0
        while k < length, s[i + k] == flat[a + k] { k += 1 }
        return k == length
    }
}

/// A set of scalars as a bitmap over the Basic Multilingual Plane: membership is a bit test
/// rather than a hash, for tests run at every character (punctuation, first letters of words).
struct ScalarSet: Sendable {
    private let bits: [UInt64]

    init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        var bits = [UInt64](repeating: 0, count: 1024)
        for c in scalars where c.value < 0x10000 { bits[Int(c.value >> 6)] |= 1 << UInt64(c.value & 63) }
        self.bits = bits
    }

    init(_ text: String) { self.init(text.unicodeScalars) }

    @inline(__always)
    func contains(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x10000 && bits[Int(c.value >> 6)] & (1 << UInt64(c.value & 63)) != 0
    }
}

/// Indices of a list's items grouped by one scalar of each (its first or last), in list
/// order: an open-addressed table from scalar to its group, probed with a multiplicative
/// hash (no `Hasher` per lookup).
struct ScalarBuckets: Sendable {
    /// Per slot: the scalar's value + 1, or 0 for an empty slot.
    private let keys: [UInt32]
    /// Per slot: where its group starts and ends in `members`.
    private let starts: [Int32], ends: [Int32]
    /// Item indices, group after group.
    let members: [Int]
    private let shift: UInt32

    /// `scalars[n]` is the key of item `n` (nil: the empty word, in no group).
    init(_ scalars: [Unicode.Scalar?]) {
        var groups: [UInt32: [Int]] = [:]
        var order: [UInt32] = []
        for (n, c) in scalars.enumerated() {
            guard let c else { continue }
            if groups[c.value] == nil { order.append(c.value) }
            groups[c.value, default: []].append(n)
        }
        var bits: UInt32 = 1
        while (1 << bits) < 2 * max(order.count, 1) { bits += 1 }
        shift = 32 - bits
        var keys = [UInt32](repeating: 0, count: 1 << bits)
        var starts = [Int32](repeating: 0, count: 1 << bits), ends = [Int32](repeating: 0, count: 1 << bits)
        var members: [Int] = []
        for value in order {
            var slot = Self.slot(value, shift)
            while keys[slot] != 0 { slot = (slot + 1) & (keys.count - 1) }
            keys[slot] = value + 1
            starts[slot] = Int32(members.count)
            members += groups[value]!
            ends[slot] = Int32(members.count)
        }
        self.keys = keys
        self.starts = starts
        self.ends = ends
        self.members = members
    }

    @inline(__always)
    private static func slot(_ value: UInt32, _ shift: UInt32) -> Int {
        Int((value &* 2_654_435_769) >> shift)
    }

    /// Where in `members` the items whose key is `c` are, in list order (empty when no item
    /// has it).
    @inline(__always)
    func group(_ c: Unicode.Scalar) -> Range<Int> {
        var slot = Self.slot(c.value, shift)
        while true {
            let key = keys[slot]
            if key == c.value + 1 { return Int(starts[slot])..<Int(ends[slot]) }
            if key == 0 { return 0..<0 }
            slot = (slot + 1) & (keys.count - 1)
        }
    }
}

/// A list of `String`s searched in order for the first that is a prefix (or a suffix) of a
/// text, trying only the words whose first (last) scalar is the text's: `hasPrefix` and
/// `hasSuffix` on CJK text are slow, and the lists run to hundreds. The text is normalised
/// when it is loaded (FORMAT.md "Normalisation"), so a word that is a prefix starts with
/// the text's first scalar. A list with an empty word is searched whole.
struct AffixTable: Sendable {
    let words: [String]
    private let byFirst: ScalarBuckets, byLast: ScalarBuckets
    private let hasEmpty: Bool

    init(_ words: [String]) {
        self.words = words
        byFirst = ScalarBuckets(words.map(\.unicodeScalars.first))
        byLast = ScalarBuckets(words.map(\.unicodeScalars.last))
        hasEmpty = words.contains(where: \.isEmpty)
    }

    /// The first word in list order that `text` starts with and that `accept` takes.
    func first(prefixOf text: String, where accept: (String) -> Bool = { _ in true }) -> String? {
        if hasEmpty { return words.first { text.hasPrefix($0) && accept($0) } }
        guard let c = text.unicodeScalars.first else { return nil }
        for m in byFirst.group(c) where text.hasPrefix(words[byFirst.members[m]]) && accept(words[byFirst.members[m]]) {
            return words[byFirst.members[m]]
        }
        return nil
    }

    /// The first word in list order that `text` ends with and that `accept` takes.
    func first(suffixOf text: String, where accept: (String) -> Bool = { _ in true }) -> String? {
        if hasEmpty { return words.first { text.hasSuffix($0) && accept($0) } }
        guard let c = text.unicodeScalars.last else { return nil }
        for m in byLast.group(c) where text.hasSuffix(words[byLast.members[m]]) && accept(words[byLast.members[m]]) {
            return words[byLast.members[m]]
        }
        return nil
    }
}
