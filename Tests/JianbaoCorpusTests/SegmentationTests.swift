import Foundation
import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// Word segmentation against the hand-segmented set (Segmentation/gold.txt): precision,
/// recall and F1 of the words, with and without the lexicon (docs/WORDS.md quotes them).
@Suite struct SegmentationTests {
    struct Scores: CustomStringConvertible {
        var correct = 0, found = 0, gold = 0
        var precision: Double { Double(correct) / Double(max(found, 1)) }
        var recall: Double { Double(correct) / Double(max(gold, 1)) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var description: String {
            String(format: "precision %.3f, recall %.3f, F1 %.3f (%d of %d words found, %d gold)", precision, recall, f1, correct, found, gold)
        }
    }

    static func load() throws -> (sentences: [[String]], sources: [String]) {
        let text = try String(contentsOfFile: TestPaths.packageRoot + "/Tests/JianbaoCorpusTests/Segmentation/gold.txt", encoding: .utf8)
        var sentences: [[String]] = [], sources: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# sources:") {
                sources = line.dropFirst("# sources:".count).split(separator: " ").map(String.init)
            } else if !line.hasPrefix("#") {
                sentences.append(line.split(separator: " ").map(String.init))
            }
        }
        return (sentences, sources)
    }

    /// A token is scored when it is a word: it has a letter or ideograph and no digit (numbers
    /// with their units, and punctuation, are gaps to the segmenter).
    static func isWord(_ token: some StringProtocol) -> Bool {
        !token.unicodeScalars.contains { $0.properties.numericType != nil && $0.value < 0x80 }
            && token.unicodeScalars.contains(where: CharacterClass.isWordCharacter)
    }

    static func score(_ sentences: [[String]], _ segmenter: Segmenter) -> (Scores, [String]) {
        var scores = Scores()
        var misses: [String] = []
        for tokens in sentences {
            var gold = Set<Range<Int>>()
            var offset = 0
            for token in tokens {
                let n = token.utf8.count
                if isWord(token) { gold.insert(offset..<(offset + n)) }
                offset += n
            }
            let bytes = Array(tokens.joined().utf8)
            var found = Set<Range<Int>>()
            bytes.withUnsafeBufferPointer { p in
                segmenter.words(p, 0, p.count, word: { s, e in
                    if isWord(String(decoding: p[s..<e], as: UTF8.self)) { found.insert(s..<e) }
                }, gap: {})
            }
            scores.correct += gold.intersection(found).count
            scores.found += found.count
            scores.gold += gold.count
            if gold != found {
                let got = found.sorted { $0.lowerBound < $1.lowerBound }.map { String(decoding: bytes[$0], as: UTF8.self) }
                misses.append(tokens.joined(separator: " ") + "\n    got: " + got.joined(separator: " "))
            }
        }
        return (scores, misses)
    }

    @Test func wordsAgainstTheHandSegmentedSet() throws {
        let (sentences, sources) = try Self.load()
        #expect(sentences.count >= 50)
        let lexicon = Lexicon.current
        let (plain, _) = Self.score(sentences, Segmenter(SegmentationVocabulary(lexicon, names: sources, joining: false)))
        let (merged, misses) = Self.score(sentences, Segmenter(SegmentationVocabulary(lexicon, names: sources)))
        print("segmentation, ICU alone: \(plain)")
        print("segmentation, ICU with the lexicon: \(merged)")
        if ProcessInfo.processInfo.environment["SHOW_MISSES"] != nil { print(misses.joined(separator: "\n")) }
        // docs/WORDS.md: the lexicon must help, and the whole must stay above 0.90.
        #expect(merged.f1 > plain.f1 + 0.05)
        #expect(merged.f1 >= 0.90, "F1 \(merged.f1) fell below 0.90")
    }

    /// Edges: nothing, punctuation only, Latin words, numbers with units, lexicon rules.
    @Test(arguments: [
        ("", ""),
        ("，。、；", ""),
        ("ESG报告和AI应用", "ESG 报告 和 AI 应用"),
        ("营业收入3.65万亿元，同比增长0.8%", "营业收入 同比 增长"),
        ("新增300余家企业，2023年末", "新增 企业"),
        ("科创板", "科创板"),
        ("落实习近平", "落实 习近平"),
        ("同比例", "同 比例"),
        ("现代化产业体系", "现代化 产业 体系"),
    ])
    func edges(_ text: String, _ expected: String) {
        let segmenter = Segmenter(SegmentationVocabulary(Lexicon.current, names: []))
        #expect(segmenter.usesICU, "ICU's word break iterator (libicu's data) is missing")
        #expect(segmenter.words(of: text).joined(separator: " ") == expected)
    }

    /// Without ICU (no data), every letter run or ideograph is a word and numbers are gaps.
    @Test func fallbackWithoutICU() {
        let bytes = Array("AI应用3.5亿，好".utf8)
        var ends = [Int32](repeating: 0, count: bytes.count), kinds = [UInt8](repeating: 0, count: bytes.count)
        let n = bytes.withUnsafeBufferPointer { Segmenter.characters($0, 0, $0.count, &ends, &kinds) }
        let pieces = (0..<n).map { k in
            String(decoding: bytes[(k == 0 ? 0 : Int(ends[k - 1]))..<Int(ends[k])], as: UTF8.self) + ":\(kinds[k])"
        }
        #expect(pieces == ["AI:2", "应:4", "用:4", "3.5:1", "亿:4", "，:0", "好:4"])
    }

    @Test func byteTrieHoldsExactlyItsWords() {
        let trie = ByteTrie(["科创", "科创板", "同比", "", "同比"])
        #expect(trie.count == 3)
        #expect(trie.maxLength == "科创板".utf8.count)
        for word in ["科创", "科创板", "同比"] { #expect(trie.contains(word)) }
        for word in ["科", "科创板块", "", "比"] { #expect(!trie.contains(word)) }
    }
}
