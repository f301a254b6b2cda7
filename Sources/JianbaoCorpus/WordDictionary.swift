#if canImport(Glibc)
import Glibc
#endif

/// A large general dictionary of words with frequencies and part-of-speech tags (jieba's
/// `dict.txt`, from Debian's `python3-jieba`: "word frequency tag" a line), read at run time
/// and never copied into the repository (docs/WORDS.md "The dictionary").
///
/// The words live in a trie over Unicode scalars, its transitions in one open-addressing table
/// keyed by (node, scalar): a step is a multiply, a shift and usually one probe, and a
/// Chinese character is one step rather than three bytes. Each word's node holds its cost
/// (−log of its share of all occurrences) and its tag.
public final class WordDictionary: @unchecked Sendable {
    /// Where the dictionary was read from.
    public let path: String
    /// How many words it holds.
    public let count: Int
    /// Scalars of the longest word.
    public let maxLength: Int
    /// The cost of a character the dictionary does not have (frequency 1, as jieba counts it).
    public let unknownCost: Float
    private let keys: [UInt64]
    private let targets: [Int32]
    private let mask: Int
    /// Per node: the word's cost, or `.infinity` for a node that ends no word.
    private var costs: [Float]
    /// Per node: the word's tag, one of `Tag`.
    private let tags: [UInt8]

    /// The tags segmentation rules ask about.
    public enum Tag: UInt8, Sendable {
        case other = 0, place = 1, person = 2, organisation = 3, abbreviation = 4, noun = 5, idiom = 6, numeral = 7, proper = 8
        /// From jieba's tag letters (ns, nr, nt, nz, n, vn, i, j, m …).
        init(_ t: UnsafeBufferPointer<UInt8>) {
            let a = t.count > 0 ? t[0] : 0, b = t.count > 1 ? t[1] : 0
            switch (a, b) {
            case (0x6E, 0x73): self = .place            // ns
            case (0x6E, 0x72): self = .person           // nr, nrt, nrfg
            case (0x6E, 0x74): self = .organisation     // nt
            case (0x6E, 0x7A): self = .proper           // nz
            case (0x6E, 0), (0x6E, 0x67), (0x76, 0x6E): self = .noun  // n, ng, vn
            case (0x69, 0): self = .idiom               // i
            case (0x6A, 0): self = .abbreviation        // j
            case (0x6D, 0), (0x6D, 0x71): self = .numeral  // m, mq
            default: self = .other
            }
        }
    }

    /// The places searched, in order, after `$JIANBAO_DICTIONARY` (docs/WORDS.md).
    public static let searchPaths = [
        "/usr/share/python3-jieba/dict.txt",
        "/usr/lib/python3/dist-packages/jieba/dict.txt",
        "/usr/local/share/jianbao/dict.txt",
    ]

    /// The dictionary of this process: the first of `$JIANBAO_DICTIONARY` and `searchPaths`
    /// that reads as one, loaded on first use; nil when there is none (segmentation then falls
    /// back to ICU's break iterator and the lexicons, and says so).
    public static let installed: WordDictionary? = locate().flatMap { load($0, rules: Lexicon.current.segmentationRules) }

    /// Whether `installed` is a dictionary, told without building it: the file it would be
    /// read from reads and has a line with a word (exactly when `load` makes one). A statement
    /// answered from kept word statistics asks only this, for its note on a missing
    /// dictionary; building the dictionary took half of a warm `freq words`.
    public static let isInstalled: Bool = locate().map(hasWord) ?? false

    /// Whether `path` reads as a dictionary with at least one word.
    static func hasWord(_ path: String) -> Bool {
        guard case .success(let bytes) = FileReader.read(path) else { return false }
        return bytes.withUnsafeBufferPointer { Entries($0, upTo: 1) }.count > 0
    }

    /// The path the dictionary would be read from, or nil. `$JIANBAO_DICTIONARY` set to a
    /// path uses only that path; set to `none` (or empty) uses no dictionary.
    public static func locate() -> String? {
        if let value = getenv("JIANBAO_DICTIONARY") {
            let path = String(cString: value)
            if path.isEmpty || path == "none" { return nil }
            return access(path, R_OK) == 0 ? path : nil
        }
        return searchPaths.first { access($0, R_OK) == 0 }
    }

    /// Reads `path`; nil when it cannot be read or holds no word. `rules` (rules.txt) name the
    /// numerals and measure words whose pairs the dictionary lists as words (一个, 两批).
    public static func load(_ path: String, rules: [String: [String]] = Lexicon.builtIn.segmentationRules) -> WordDictionary? {
        guard case .success(let bytes) = FileReader.read(path) else { return nil }
        let entries = bytes.withUnsafeBufferPointer { Entries($0) }
        guard entries.count > 0 else { return nil }
        return WordDictionary(path: path, entries,
                              numerals: Set((rules["numeral"] ?? []).flatMap(\.unicodeScalars).map(\.value)),
                              measures: Set((rules["measure"] ?? []).flatMap(\.unicodeScalars).map(\.value)))
    }

    /// The dictionary's lines ("word frequency tag"), read as bytes: a `String` per field made
    /// loading three times slower. Words are scalars end to end.
    struct Entries {
        var scalars: [UInt32] = []
        var starts: [Int] = [0]
        var frequencies: [Double] = []
        var tags: [Tag] = []
        var count: Int { frequencies.count }

        func word(_ i: Int) -> ArraySlice<UInt32> { scalars[starts[i]..<starts[i + 1]] }

        /// The entries of `p`, the first `limit` of them.
        init(_ p: UnsafeBufferPointer<UInt8>, upTo limit: Int = .max) {
            scalars.reserveCapacity(limit == .max ? p.count / 3 : 0)
            var i = 0
            while i < p.count && frequencies.count < limit {
                var end = i
                while end < p.count && p[end] != 0x0A { end += 1 }
                var k = i
                let before = scalars.count
                while k < end && p[k] != 0x20 {
                    let (scalar, length) = UTF8Text.decode(p, k)
                    scalars.append(scalar.value)
                    k += length
                }
                k += 1
                var frequency = 0.0
                var digits = 0
                while k < end && p[k] >= 0x30 && p[k] <= 0x39 {
                    frequency = frequency * 10 + Double(p[k] - 0x30)
                    digits += 1
                    k += 1
                }
                if k < end && p[k] == 0x20 { k += 1 }
                var tagEnd = end
                while tagEnd > k && (p[tagEnd - 1] == 0x0D || p[tagEnd - 1] == 0x20) { tagEnd -= 1 }
                if scalars.count > before && digits > 0 && frequency > 0 {
                    starts.append(scalars.count)
                    frequencies.append(frequency)
                    tags.append(Tag(UnsafeBufferPointer(rebasing: p[k..<tagEnd])))
                } else {
                    scalars.removeLast(scalars.count - before)
                }
                i = end + 1
            }
        }
    }

    init(path: String, _ entries: Entries, numerals: Set<UInt32>, measures: Set<UInt32>) {
        self.path = path
        let total = entries.frequencies.reduce(0, +)
        let logTotal = Float(log(total))
        let steps = entries.scalars.count
        var size = 16
        while size < steps * 2 { size *= 2 }
        let mask = size - 1
        var keys = [UInt64](repeating: .max, count: size)
        var targets = [Int32](repeating: -1, count: size)
        var costs: [Float] = [.infinity]
        var tags: [UInt8] = [0]
        costs.reserveCapacity(steps / 2)
        tags.reserveCapacity(steps / 2)
        var longest = 0
        var count = 0
        var nodes = [Int32](repeating: 0, count: entries.count)
        for e in 0..<entries.count {
            var node: Int32 = 0
            for scalar in entries.word(e) {
                let key = UInt64(node) << 21 | UInt64(scalar)
                var slot = Self.slot(key, mask)
                while keys[slot] != .max && keys[slot] != key { slot = (slot + 1) & mask }
                if keys[slot] == key {
                    node = targets[slot]
                } else {
                    node = Int32(costs.count)
                    keys[slot] = key
                    targets[slot] = node
                    costs.append(.infinity)
                    tags.append(0)
                }
            }
            nodes[e] = node
            // A word listed twice keeps its first line, as jieba does.
            if costs[Int(node)] == .infinity {
                count += 1
                costs[Int(node)] = logTotal - Float(log(entries.frequencies[e]))
                tags[Int(node)] = entries.tags[e].rawValue
            }
            longest = max(longest, entries.starts[e + 1] - entries.starts[e])
        }
        self.keys = keys
        self.targets = targets
        self.mask = mask
        self.costs = costs
        self.tags = tags
        self.count = count
        self.maxLength = longest
        self.unknownCost = logTotal
        // Compounds of words the dictionary also lists (上市公司, 固定资产, 劳动生产率) are left
        // out, as the PKU standard cuts them (上市 公司): a word of four or more characters that
        // is no idiom and no place name, and that splits wholly into words of two or more. An
        // idiom is kept unless it is one of the many phrases the dictionary lists with the
        // least frequency, 3 (贯彻落实, 深入开展), which are no idioms.
        var compounds: [Int32] = []
        for e in 0..<entries.count {
            let word = entries.word(e)
            let tag = entries.tags[e]
            if word.count >= 4 && tag != .place && (tag != .idiom || entries.frequencies[e] <= 3) {
                if splits(word) { compounds.append(nodes[e]) }
            } else if tag == .numeral && word.count >= 2 && word.count <= 4,
                      let last = word.last, measures.contains(last), word.dropLast().allSatisfy(numerals.contains) {
                // A numeral with its measure word is two words (一 个, 两 批, 第一 位).
                compounds.append(nodes[e])
            }
        }
        for node in compounds where node > 0 { self.costs[Int(node)] = .infinity }
    }

    static let root: Int32 = 0

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The node after `scalar` from `node`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ scalar: UInt32) -> Int32 {
        let key = UInt64(node) << 21 | UInt64(scalar)
        var slot = Self.slot(key, mask)
        while true {
            let k = keys[slot]
            if k == key { return targets[slot] }
            if k == .max { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// The cost of the word ending at `node` (`.infinity` if none ends there).
    @inline(__always)
    func cost(_ node: Int32) -> Float { costs[Int(node)] }

    @inline(__always)
    func tag(_ node: Int32) -> Tag { Tag(rawValue: tags[Int(node)]) ?? .other }

    /// Whether `word` is a sequence of two or more dictionary words of two or more characters.
    private func splits(_ word: ArraySlice<UInt32>) -> Bool {
        let word = Array(word)
        // reachable[k]: the first k characters are such words, with a cut before the end.
        var reachable = [Bool](repeating: false, count: word.count + 1)
        reachable[0] = true
        for start in 0..<(word.count - 1) where reachable[start] {
            var node = Self.root
            for k in start..<word.count {
                node = child(node, word[k])
                if node < 0 { break }
                let end = k + 1
                if end - start >= 2, end - start < word.count, cost(node) < .infinity { reachable[end] = true }
            }
        }
        return reachable[word.count]
    }

    /// The node of `word`, or -1.
    func node(_ word: String) -> Int32 { node(Array(word.unicodeScalars)) }

    func node(_ word: [Unicode.Scalar]) -> Int32 {
        var node = Self.root
        for scalar in word {
            node = child(node, scalar.value)
            if node < 0 { return -1 }
        }
        return node
    }

    /// Whether `word` is a word of the dictionary.
    public func contains(_ word: String) -> Bool {
        let n = node(word)
        return n > 0 && cost(n) < .infinity
    }

    /// The tag of `word`, nil if it is not a word here.
    public func tag(of word: String) -> Tag? {
        let n = node(word)
        return n > 0 && cost(n) < .infinity ? tag(n) : nil
    }
}
