/// Who decided a word: `.segment` shows it (docs/WORDS.md "Why a word is cut so").
public enum WordSource: UInt8, Sendable {
    /// A word of the general dictionary (jieba's dict.txt) on the most probable path.
    case dictionary = 0
    /// A word of the lexicons (terms, metrics, subjects, the corpus's organisations).
    case lexicon = 1
    /// A character neither dictionary nor lexicon has as a word of its own.
    case character = 2
    /// An unknown organisation name before its suffix (江铜 集团, 发改委, 宁波舟山港).
    case organisation = 3
    /// A surname or given name after a title (董事长 王 祥明).
    case name = 4
    /// A suffix joined to the word before it (现代化, 竞争力).
    case suffix = 5
    /// A run of Latin letters (ESG, AI).
    case letters = 6
    /// ICU's break iterator (when the dictionary is not installed).
    case icu = 7

    /// How `.segment` names it.
    public var label: String {
        switch self {
        case .dictionary: "dictionary"
        case .lexicon: "lexicon"
        case .character: "character"
        case .organisation: "rule: organisation"
        case .name: "rule: name after a title"
        case .suffix: "rule: suffix"
        case .letters: "letters"
        case .icu: "ICU"
        }
    }
}

/// The most probable segmentation of one run of ideographs: every dictionary and lexicon word
/// that starts at each character is an edge of the word graph, weighted by its cost
/// (−log of its share, from the dictionary's frequencies); the path of least total cost from
/// the run's end backwards is the segmentation (the unigram model jieba and others use).
/// Buffers are kept from run to run; one per segmenter.
struct WordGraph {
    /// Absolute byte offset of each character, and one past the last.
    var offsets: [Int32] = []
    var scalars: [UInt32] = []
    /// Per character: the least cost from here to the run's end, the character index where
    /// the first word of that path ends, its source and its dictionary tag.
    var best: [Float] = []
    var next: [Int32] = []
    var sources: [UInt8] = []
    var tags: [UInt8] = []

    /// Reads the characters of `p[start..<end]` and solves the graph; returns their count.
    @inline(__always)
    mutating func solve(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                        _ dictionary: WordDictionary, _ lexicon: ByteTrie, lexiconCost: Float) -> Int {
        offsets.removeAll(keepingCapacity: true)
        scalars.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let (scalar, length) = UTF8Text.decode(p, i)
            offsets.append(Int32(i))
            scalars.append(scalar.value)
            i += length
        }
        offsets.append(Int32(end))
        let m = scalars.count
        if best.count < m + 1 {
            best = [Float](repeating: 0, count: 2 * (m + 1))
            next = [Int32](repeating: 0, count: best.count)
            sources = [UInt8](repeating: 0, count: best.count)
            tags = [UInt8](repeating: 0, count: best.count)
        }
        best[m] = 0
        let maxLength = dictionary.maxLength
        var k = m - 1
        while k >= 0 {
            // The character alone is always an edge.
            var node = dictionary.child(WordDictionary.root, scalars[k])
            let single = node >= 0 ? dictionary.cost(node) : .infinity
            var bestCost = (single < .infinity ? single : dictionary.unknownCost) + best[k + 1]
            var bestEnd = k + 1
            var bestSource = single < .infinity ? WordSource.dictionary : .character
            var bestTag = node >= 0 && single < .infinity ? dictionary.tag(node).rawValue : 0
            var j = k + 1
            while node >= 0 && j < m && j - k < maxLength {
                node = dictionary.child(node, scalars[j])
                j += 1
                guard node >= 0 else { break }
                let c = dictionary.cost(node)
                if c < .infinity, c + best[j] < bestCost {
                    bestCost = c + best[j]
                    bestEnd = j
                    bestSource = .dictionary
                    bestTag = dictionary.tag(node).rawValue
                }
            }
            if lexicon.count > 0 {
                var byteNode = ByteTrie.root
                var b = Int(offsets[k])
                var e = k
                let limit = min(end, b + lexicon.maxLength)
                walk: while e < m && Int(offsets[e + 1]) <= limit {
                    while b < Int(offsets[e + 1]) {
                        byteNode = lexicon.child(byteNode, p[b])
                        if byteNode < 0 { break walk }
                        b += 1
                    }
                    e += 1
                    if lexicon.isTerminal(byteNode), e - k >= 2 || bestSource == .character {
                        // A lexicon word costs at most `lexiconCost`: it wins over splitting it,
                        // but not at any price to its neighbours (同比例 stays 同 比例).
                        let c = min(lexiconCost, dictionaryCost(dictionary, k, e)) + best[e]
                        if c <= bestCost {
                            bestCost = c
                            bestEnd = e
                            bestSource = .lexicon
                            bestTag = 0
                        }
                    }
                }
            }
            best[k] = bestCost
            next[k] = Int32(bestEnd)
            sources[k] = bestSource.rawValue
            tags[k] = bestTag
            k -= 1
        }
        return m
    }

    /// The dictionary's cost of characters k..<e as one word (`.infinity` if it is none).
    @inline(__always)
    private func dictionaryCost(_ dictionary: WordDictionary, _ k: Int, _ e: Int) -> Float {
        var node = WordDictionary.root
        for j in k..<e {
            node = dictionary.child(node, scalars[j])
            if node < 0 { return .infinity }
        }
        return dictionary.cost(node)
    }
}
