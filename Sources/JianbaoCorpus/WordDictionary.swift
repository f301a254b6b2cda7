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
        init(_ tag: Substring) {
            switch tag {
            case "ns": self = .place
            case "nr", "nrfg", "nrt": self = .person
            case "nt": self = .organisation
            case "j": self = .abbreviation
            case "i": self = .idiom
            case "m", "mq": self = .numeral
            case "nz": self = .proper
            case "n", "vn", "ng": self = .noun
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
        let text = String(decoding: bytes, as: UTF8.self)
        var entries: [(word: [Unicode.Scalar], frequency: Double, tag: Tag)] = []
        entries.reserveCapacity(bytes.count / 14)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count >= 2, let frequency = Double(fields[1]), frequency > 0 else { continue }
            let word = Array(fields[0].unicodeScalars)
            let tag = fields.count > 2 ? fields[2] : ""
            entries.append((word, frequency, Tag(tag)))
        }
        guard !entries.isEmpty else { return nil }
        return WordDictionary(path: path, entries,
                              numerals: Set((rules["numeral"] ?? []).flatMap(\.unicodeScalars)),
                              measures: Set((rules["measure"] ?? []).flatMap(\.unicodeScalars)))
    }

    init(path: String, _ entries: [(word: [Unicode.Scalar], frequency: Double, tag: Tag)],
         numerals: Set<Unicode.Scalar>, measures: Set<Unicode.Scalar>) {
        self.path = path
        let total = entries.reduce(0) { $0 + $1.frequency }
        let logTotal = Float(log(total))
        let steps = entries.reduce(0) { $0 + $1.word.count }
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
        for entry in entries where !entry.word.isEmpty {
            var node: Int32 = 0
            for scalar in entry.word {
                let key = UInt64(node) << 21 | UInt64(scalar.value)
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
            if costs[Int(node)] == .infinity { count += 1 }
            // A word listed twice keeps its first line, as jieba does.
            if costs[Int(node)] == .infinity {
                costs[Int(node)] = logTotal - Float(log(entry.frequency))
                tags[Int(node)] = entry.tag.rawValue
            }
            longest = max(longest, entry.word.count)
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
        // is no idiom and no place name, and that splits wholly into words of two or more.
        var compounds: [Int32] = []
        // An idiom is kept unless it is one of the many phrases the dictionary lists with the
        // least frequency, 3 (贯彻落实, 深入开展), which are no idioms.
        for entry in entries where entry.word.count >= 4 && entry.tag != .place
                && (entry.tag != .idiom || entry.frequency <= 3) {
            if splits(entry.word) { compounds.append(node(entry.word)) }
        }
        // A numeral with its measure word is two words (一 个, 两 批, 第一 位): the dictionary's
        // words of numerals and one measure word are left out.
        for entry in entries where entry.tag == .numeral && entry.word.count >= 2 && entry.word.count <= 4 {
            guard let last = entry.word.last, measures.contains(last),
                  entry.word.dropLast().allSatisfy(numerals.contains) else { continue }
            compounds.append(node(entry.word))
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
    private func splits(_ word: [Unicode.Scalar]) -> Bool {
        // reachable[k]: the first k characters are such words, with a cut before the end.
        var reachable = [Bool](repeating: false, count: word.count + 1)
        reachable[0] = true
        for start in 0..<(word.count - 1) where reachable[start] {
            var node = Self.root
            for k in start..<word.count {
                node = child(node, word[k].value)
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
