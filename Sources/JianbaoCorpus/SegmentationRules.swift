import CSegment

/// The rules segmentation applies on top of the most probable path (rules.txt, docs/WORDS.md
/// "Rules"): unknown organisation names joined with their suffix, a person's name after a
/// title kept whole, a prefix or suffix joined to its word. They fix what a unigram model
/// cannot know: names that no dictionary lists.
struct SegmentationRules: Sendable {
    /// Suffixes that join the unknown name (single characters) before them.
    let organisations: ByteTrie
    /// Suffixes that also join one or two place names before them.
    let placeOrganisations: ByteTrie
    /// Titles after which a surname starts a name.
    let titles: ByteTrie
    let surnames: ScalarSet
    /// Characters never part of such a name.
    let functions: ScalarSet
    /// Characters joined to the two-character noun after them.
    let prefixes: ScalarSet

    init(_ rules: [String: [String]]) {
        organisations = ByteTrie(rules["organisation"] ?? [])
        placeOrganisations = ByteTrie(rules["place-organisation"] ?? [])
        titles = ByteTrie(rules["title"] ?? [])
        surnames = ScalarSet((rules["surname"] ?? []).flatMap(\.unicodeScalars))
        functions = ScalarSet((rules["function"] ?? []).flatMap(\.unicodeScalars))
        prefixes = ScalarSet((rules["prefix"] ?? []).flatMap(\.unicodeScalars))
    }
}

/// What a segmenter adds to the dictionary (or to ICU): lexicon words, the quantity words read
/// as part of a number, suffix characters and the rules for names and affixes.
public struct SegmentationVocabulary: Sendable {
    public let words: ByteTrie
    public let quantities: ByteTrie
    let suffixes: ScalarSet
    let rules: SegmentationRules

    /// The lexicon's terms, metrics and subjects plus `names` (a corpus's organisations); with
    /// `joining` false, only the quantities (ICU's words as they are, for comparison).
    public init(_ lexicon: Lexicon, names: [String], joining: Bool = true) {
        words = ByteTrie(joining ? lexicon.segmentationWords + names : [])
        quantities = ByteTrie(lexicon.quantityWords)
        suffixes = ScalarSet(joining ? lexicon.suffixes.flatMap(\.unicodeScalars) : [])
        rules = SegmentationRules(joining ? lexicon.segmentationRules : [:])
    }
}

extension ByteTrie {
    /// Whether `p[start..<end]` is one of the words.
    @inline(__always)
    func matches(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start <= maxLength, end > start else { return false }
        var node = Self.root
        for i in start..<end {
            node = child(node, p[i])
            if node < 0 { return false }
        }
        return isTerminal(node)
    }
}

extension Segmenter {
    /// The dictionary path: character classes give gaps, numbers with their quantities, Latin
    /// words, and runs of ideographs; each run is segmented by `run`.
    @inline(__always)
    func paths(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ ends: UnsafeBufferPointer<Int32>,
               _ kinds: UnsafeBufferPointer<UInt8>, _ n: Int, _ dictionary: WordDictionary,
               word: (Int, Int, WordSource) -> Void, gap: () -> Void) {
        var t = 0
        var start = 0
        while t < n {
            if stepOverGap(p, lower, ends, kinds, n, &t, &start, gap: gap) { continue }
            let kind = kinds[t]
            if kind == UInt8(JB_SEGMENT_LETTER) {
                word(lower + start, lower + Int(ends[t]), .letters)
                start = Int(ends[t])
                t += 1
                continue
            }
            var u = t + 1
            while u < n && kinds[u] != UInt8(JB_SEGMENT_NONE) && kinds[u] != UInt8(JB_SEGMENT_NUMBER)
                    && kinds[u] != UInt8(JB_SEGMENT_LETTER) { u += 1 }
            run(p, lower + start, lower + Int(ends[u - 1]), dictionary, word: word)
            start = Int(ends[u - 1])
            t = u
        }
    }

    /// Segments one run of ideographs: the graph's best path, with the rules applied as it is
    /// walked.
    @inline(__always)
    private func run(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ dictionary: WordDictionary,
                     word: (Int, Int, WordSource) -> Void) {
        let m = graph.solve(p, start, end, dictionary, lexicon, lexiconCost: Self.lexiconCost)
        runStarts.removeAll(keepingCapacity: true)
        runEnds.removeAll(keepingCapacity: true)
        runSources.removeAll(keepingCapacity: true)
        var i = 0
        while i < m {
            if let last = runStarts.indices.last, rules.titles.count > 0,
               rules.titles.matches(p, Int(graph.offsets[Int(runStarts[last])]), Int(graph.offsets[Int(runEnds[last])])) {
                let length = nameLength(at: i, m, dictionary)
                if length > 0 {
                    // Surname and given name are two words, as the PKU standard cuts names.
                    append(i, i + 1, .name)
                    append(i + 1, i + length, .name)
                    i += length
                    continue
                }
            }
            let j = Int(graph.next[i])
            append(i, j, WordSource(rawValue: graph.sources[i]) ?? .dictionary)
            joinAffix(p, dictionary, i, j)
            if rules.organisations.matches(p, Int(graph.offsets[i]), Int(graph.offsets[j])) { joinOrganisation(p, dictionary) }
            i = j
        }
        for k in runStarts.indices {
            word(Int(graph.offsets[Int(runStarts[k])]), Int(graph.offsets[Int(runEnds[k])]),
                 WordSource(rawValue: runSources[k]) ?? .dictionary)
        }
    }

    /// What a lexicon word costs at most: about a word of 0.3‰ of all text, so that it beats
    /// its own pieces but does not take a character from a likelier neighbour.
    static let lexiconCost: Float = 8

    @inline(__always)
    private func append(_ s: Int, _ e: Int, _ source: WordSource) {
        runStarts.append(Int32(s))
        runEnds.append(Int32(e))
        runSources.append(source.rawValue)
    }

    /// Joins the last `count` words into one decided by `source`.
    private func joinLast(_ count: Int, _ source: WordSource) {
        let end = runEnds[runEnds.count - 1]
        runStarts.removeLast(count - 1)
        runEnds.removeLast(count - 1)
        runSources.removeLast(count - 1)
        runEnds[runEnds.count - 1] = end
        runSources[runSources.count - 1] = source.rawValue
    }

    /// 现代|化 → 现代化: a lone suffix joins the word of two or more characters before it;
    /// 总|市值 → 总市值: a lone prefix joins the two-character noun after it.
    @inline(__always)
    private func joinAffix(_ p: UnsafeBufferPointer<UInt8>, _ dictionary: WordDictionary, _ i: Int, _ j: Int) {
        let count = runStarts.count
        guard count >= 2, runSources[count - 2] != WordSource.name.rawValue else { return }
        let before = Int(runEnds[count - 2] - runStarts[count - 2])
        if j - i == 1, before >= 2, suffixes.contains(Unicode.Scalar(graph.scalars[i]) ?? " ") {
            joinLast(2, .suffix)
        } else if j - i == 2, before == 1, rules.prefixes.contains(Unicode.Scalar(graph.scalars[i - 1]) ?? " "),
                  graph.tags[i] == WordDictionary.Tag.noun.rawValue {
            joinLast(2, .suffix)
        }
    }

    /// 江|铜|集团 → 江铜 集团, 发|改|委 → 发改委, 宁波|舟山|港 → 宁波舟山港: the last word is an
    /// organisation suffix; two to four single characters before it (none a function character)
    /// are the name (with the suffix when it is one bound character); one or two place names
    /// before a place-organisation suffix make one name with it.
    private func joinOrganisation(_ p: UnsafeBufferPointer<UInt8>, _ dictionary: WordDictionary) {
        let last = runStarts.count - 1
        var k = last
        while k > 0, last - k < 4, runEnds[k - 1] - runStarts[k - 1] == 1,
              runSources[k - 1] == WordSource.dictionary.rawValue || runSources[k - 1] == WordSource.character.rawValue,
              !rules.functions.contains(Unicode.Scalar(graph.scalars[Int(runStarts[k - 1])]) ?? " ") { k -= 1 }
        if last - k >= 2 {
            if runEnds[last] - runStarts[last] == 1 {
                // A bound suffix is part of the name (发|改|委 → 发改委) …
                joinLast(last - k + 1, .organisation)
            } else {
                // … a free one is a word of its own, as the PKU standard cuts names (江铜 集团).
                let suffix = (runStarts[last], runEnds[last], runSources[last])
                runStarts.removeLast(); runEnds.removeLast(); runSources.removeLast()
                joinLast(last - k, .organisation)
                runStarts.append(suffix.0); runEnds.append(suffix.1); runSources.append(suffix.2)
            }
            return
        }
        guard rules.placeOrganisations.matches(p, Int(graph.offsets[Int(runStarts[last])]), Int(graph.offsets[Int(runEnds[last])])) else { return }
        k = last
        // The dictionary's tags for places are loose (南通 is tagged a proper noun, 连云港 a
        // person): any proper name of two characters or more will do.
        while k > 0, last - k < 2, runSources[k - 1] == WordSource.dictionary.rawValue,
              runEnds[k - 1] - runStarts[k - 1] >= 2,
              Self.properNames.contains(graph.tags[Int(runStarts[k - 1])]) { k -= 1 }
        if k < last { joinLast(last - k + 1, .organisation) }
    }

    static let properNames: Set<UInt8> = [WordDictionary.Tag.place, .person, .proper, .organisation].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    /// The length of the person's name that starts at character `i` right after a title, or 0:
    /// a surname, then one or two characters (总经理秦琳对 → 秦 琳, 副总经理王勇主持 → 王 勇,
    /// 董事长王祥明主持 → 王 祥明).
    private func nameLength(at i: Int, _ m: Int, _ dictionary: WordDictionary) -> Int {
        guard i + 2 <= m, rules.surnames.contains(Unicode.Scalar(graph.scalars[i]) ?? " "),
              !rules.functions.contains(Unicode.Scalar(graph.scalars[i + 1]) ?? " ") else { return 0 }
        let j = Int(graph.next[i])
        // A word of the dictionary that is not a name (高度, 王府井) is not taken apart.
        if j - i > 1 && !(graph.tags[i] == WordDictionary.Tag.person.rawValue && j - i <= 3) { return 0 }
        if i + 3 > m || rules.functions.contains(Unicode.Scalar(graph.scalars[i + 2]) ?? " ") { return 2 }
        // Three characters when what follows them reads well (董事长王祥明主持: 主持), two when
        // only the third starts a word (副总经理王勇主持会议: 主持, not 持会议).
        if i + 3 == m || rules.functions.contains(Unicode.Scalar(graph.scalars[i + 3]) ?? " ") || startsWord(at: i + 3, m, dictionary) {
            return 3
        }
        return startsWord(at: i + 2, m, dictionary) ? 2 : 3
    }

    /// Whether a dictionary word of two characters or more starts at character `k`.
    private func startsWord(at k: Int, _ m: Int, _ dictionary: WordDictionary) -> Bool {
        var node = dictionary.child(WordDictionary.root, graph.scalars[k])
        var j = k + 1
        while node >= 0 && j < m {
            node = dictionary.child(node, graph.scalars[j])
            j += 1
            if node >= 0 && dictionary.cost(node) < .infinity { return true }
        }
        return false
    }
}
