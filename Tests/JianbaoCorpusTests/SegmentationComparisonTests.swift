import Foundation
import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// Jianbao's segmentation against jieba's and thulac's on real bulletin sentences segmented by
/// hand to the PKU standard (Segmentation/pku-gold.txt, sources recorded there); docs/WORDS.md
/// "Quality" has the table. Fails when Jianbao's F1 falls below either.
@Suite struct SegmentationComparisonTests {
    /// One sentence of the gold: its tokens, and the source letter.
    struct Sentence {
        var source: String
        var tokens: [String]
        var text: String { tokens.joined() }
    }

    static func load() throws -> [Sentence] {
        let text = try String(contentsOfFile: TestPaths.packageRoot + "/Tests/JianbaoCorpusTests/Segmentation/pku-gold.txt", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            return Sentence(source: String(fields[0]), tokens: fields.count > 1 ? fields[1].split(separator: " ").map(String.init) : [])
        }
    }

    /// Scores of one segmenter over the gold.
    struct Scores: CustomStringConvertible {
        var correct = 0, found = 0, gold = 0
        var precision: Double { Double(correct) / Double(max(found, 1)) }
        var recall: Double { Double(correct) / Double(max(gold, 1)) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var description: String {
            String(format: "precision %.3f, recall %.3f, F1 %.3f (%d of %d words right, %d gold)", precision, recall, f1, correct, found, gold)
        }
    }

    /// Adds one sentence: `found` are the segmenter's tokens as byte ranges of the sentence.
    /// Gold tokens that are not words (numbers with their units, punctuation) are not scored,
    /// and neither is a found token that lies inside one of them: how a segmenter cuts
    /// 39.6万亿元 is its own convention (Jianbao's is a gap).
    static func add(_ sentence: Sentence, found: [Range<Int>], to scores: inout Scores) -> Bool {
        var words = Set<Range<Int>>()
        var unscored: [Range<Int>] = []
        var offset = 0
        for token in sentence.tokens {
            let range = offset..<(offset + token.utf8.count)
            if SegmentationTests.isWord(token) { words.insert(range) } else { unscored.append(range) }
            offset = range.upperBound
        }
        let bytes = Array(sentence.text.utf8)
        let scored = found.filter { r in
            !unscored.contains { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }
                && String(decoding: bytes[r], as: UTF8.self).unicodeScalars.contains(where: CharacterClass.isWordCharacter)
        }
        scores.correct += words.intersection(scored).count
        scores.found += scored.count
        scores.gold += words.count
        return Set(scored) == words
    }

    /// Byte ranges of `tokens` laid end to end over `text` (spaces a tool dropped are skipped).
    static func ranges(_ tokens: [String], in text: String) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var result: [Range<Int>] = []
        var offset = 0
        for token in tokens where !token.isEmpty {
            let t = Array(token.utf8)
            while offset < bytes.count, !bytes[offset...].starts(with: t) { offset += 1 }
            guard offset < bytes.count else { break }
            result.append(offset..<(offset + t.count))
            offset += t.count
        }
        return result
    }

    static func jianbao(_ sentences: [Sentence], _ segmenter: Segmenter) -> (Scores, [String]) {
        var scores = Scores()
        var misses: [String] = []
        for sentence in sentences {
            let bytes = Array(sentence.text.utf8)
            var found: [Range<Int>] = []
            bytes.withUnsafeBufferPointer { p in segmenter.words(p, 0, p.count, word: { found.append($0..<$1) }, gap: {}) }
            if !add(sentence, found: found, to: &scores) {
                misses.append(sentence.tokens.joined(separator: " ") + "\n    got: "
                              + found.map { String(decoding: bytes[$0], as: UTF8.self) }.joined(separator: " "))
            }
        }
        return (scores, misses)
    }

    @Test func beatsJiebaAndThulacOnThePKUGold() throws {
        let sentences = try Self.load()
        #expect(sentences.count >= 100)
        for sentence in sentences { #expect(sentence.source.count == 1 && !sentence.tokens.isEmpty, "\(sentence.tokens)") }
        let dictionary = try #require(WordDictionary.installed, "jieba's dictionary is not installed (Scripts/setup installs python3-jieba)")
        let segmenter = Segmenter(SegmentationVocabulary(Lexicon.current, names: []), dictionary: dictionary)
        let (ours, misses) = Self.jianbao(sentences, segmenter)
        let icu = Self.jianbao(sentences, Segmenter(SegmentationVocabulary(Lexicon.current, names: []), dictionary: nil)).0

        let run = try Run.program("/usr/bin/env", ["bash", TestPaths.packageRoot + "/Scripts/score-segmentation"])
        try #require(run.status == 0, "Scripts/score-segmentation failed (pip install jieba thulac?): \(run.stderr)")
        let others = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String]]])
        var table: [(String, Scores)] = []
        for tool in ["jieba", "thulac"] {
            let cuts = try #require(others[tool])
            try #require(cuts.count == sentences.count)
            var scores = Scores()
            for (sentence, tokens) in zip(sentences, cuts) {
                _ = Self.add(sentence, found: Self.ranges(tokens, in: sentence.text), to: &scores)
            }
            table.append((tool, scores))
        }
        print("segmentation on the PKU gold (\(sentences.count) sentences):")
        print("  Jianbao: \(ours)")
        print("  Jianbao without the dictionary (ICU and the lexicons): \(icu)")
        for (tool, scores) in table { print("  \(tool): \(scores)") }
        if ProcessInfo.processInfo.environment["SHOW_MISSES"] != nil { print(misses.joined(separator: "\n")) }
        for (tool, scores) in table {
            #expect(ours.f1 >= scores.f1, "Jianbao's F1 \(ours.f1) is below \(tool)'s \(scores.f1)")
        }
    }

    @Test func rangesFollowTheText() {
        #expect(Self.ranges(["营业", "收入", "3.6", "万亿元"], in: "营业收入3.6万亿元") == [0..<6, 6..<12, 12..<15, 15..<24])
        #expect(Self.ranges(["A", "B"], in: "A B") == [0..<1, 2..<3])
    }

    @Test func numbersAndPunctuationAreNotScored() {
        var scores = Scores()
        let sentence = Sentence(source: "T", tokens: ["增长", "9.1%", "。"])
        // 9.1 and % inside the number's token are not scored; 增长 is right.
        #expect(Self.add(sentence, found: [0..<6, 6..<9, 9..<10, 10..<13], to: &scores))
        #expect(scores.correct == 1 && scores.found == 1 && scores.gold == 1)
        // A token that crosses from a word into the number is scored, and wrong.
        var crossed = Scores()
        #expect(!Self.add(sentence, found: [0..<3, 3..<9], to: &crossed))
        #expect(crossed.correct == 0 && crossed.found == 2 && crossed.gold == 1)
    }
}
