/// A word list prepared for matching inside a scalar buffer: each word as scalars, longest
/// first, with the sets of first and last scalars so that most positions are rejected at
/// once. The extractor tests these at every character of a paragraph; as `String`s the same
/// tests cost twenty times more (docs/BENCHMARKS.md).
struct Words: Sendable {
    let items: [[Unicode.Scalar]]
    let strings: [String]
    let firsts: ScalarSet
    let lasts: ScalarSet

    init(_ words: [String]) {
        let sorted = Array(Set(words)).sorted { a, b in
            let (x, y) = (a.unicodeScalars.count, b.unicodeScalars.count)
            return x != y ? x > y : a < b
        }
        strings = sorted
        items = sorted.map { Array($0.unicodeScalars) }
        firsts = ScalarSet(items.compactMap(\.first))
        lasts = ScalarSet(items.compactMap(\.last))
    }

    /// The longest word starting at `i`, as (index in `strings`, length).
    func first(in s: [Unicode.Scalar], at i: Int) -> (index: Int, length: Int)? {
        guard i >= 0, i < s.count, firsts.contains(s[i]) else { return nil }
        for (n, word) in items.enumerated() where Self.matches(word, s, i) { return (n, word.count) }
        return nil
    }

    /// The longest word ending right before `i`.
    func ending(in s: [Unicode.Scalar], before i: Int) -> (index: Int, length: Int)? {
        guard i > 0, i <= s.count, lasts.contains(s[i - 1]) else { return nil }
        for (n, word) in items.enumerated() where i - word.count >= 0 && Self.matches(word, s, i - word.count) {
            return (n, word.count)
        }
        return nil
    }

    @inline(__always)
    static func matches(_ word: [Unicode.Scalar], _ s: [Unicode.Scalar], _ i: Int) -> Bool {
        guard i >= 0, i + word.count <= s.count else { return false }
        for k in 0..<word.count where s[i + k] != word[k] { return false }
        return true
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
