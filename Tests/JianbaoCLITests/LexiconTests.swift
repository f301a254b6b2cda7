import Foundation
import Testing
import JianbaoTestSupport

/// The user's lexicon files extend the built-in ones (docs/FIGURES.md).
@Suite struct LexiconTests {
    @Test func userUnitsAreRead() throws {
        let dir = NSTemporaryDirectory() + "jianbao-lexicons-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/corpus", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "· 动态\n标题\n全年大米产量约3.5万公斤，同比增长2%，其他产品若干。（甲单位）\n".write(toFile: dir + "/corpus/a.txt", atomically: true, encoding: .utf8)
        let without = try Run.jianbao(["--no-header", "-c", "select figures metric, value, unit, change", dir + "/corpus"],
                                      environment: ["JIANBAO_LEXICONS": dir + "/none"])
        #expect(without.stdout == "")
        try "# units of our own\n公斤\n".write(toFile: dir + "/units.txt", atomically: true, encoding: .utf8)
        let with = try Run.jianbao(["--no-header", "-c", "select figures metric, value, unit, change", dir + "/corpus"],
                                   environment: ["JIANBAO_LEXICONS": dir])
        #expect(with.stdout == "大米产量\t3.5\t万公斤\t2\n")
    }

    /// A word in the user's terms.txt stays whole in `freq words` (docs/WORDS.md); so does an
    /// organisation the corpus names in a source, with no lexicon at all.
    @Test func userTermsAndSourcesJoinSegmentation() throws {
        let dir = NSTemporaryDirectory() + "jianbao-terms-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/corpus", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "· 动态\n标题\n发展低空经济，建设浦江数智港。（浦江数智港）\n".write(toFile: dir + "/corpus/a.txt", atomically: true, encoding: .utf8)
        let statements = ["-c", ".segment 发展银发经济", "-c", "freq words"]
        let without = try Run.jianbao(["--no-header"] + statements + [dir + "/corpus"], environment: ["JIANBAO_LEXICONS": dir + "/none"])
        #expect(without.stdout.hasPrefix("发展 银发 经济\n"), "\(without.stdout)")
        #expect(without.stdout.contains("浦江数智港\t1\t"), "the source's name is a word: \(without.stdout)")
        try "# our own words\n银发经济\n".write(toFile: dir + "/terms.txt", atomically: true, encoding: .utf8)
        let with = try Run.jianbao(["--no-header"] + statements + [dir + "/corpus"], environment: ["JIANBAO_LEXICONS": dir])
        #expect(with.stdout.hasPrefix("发展 银发经济\n"), "\(with.stdout)")
        #expect(with.stdout.contains("  银发经济  lexicon\n"), "\(with.stdout)")
        #expect(!with.stderr.contains("dictionary"), "\(with.stderr)")
    }

    /// Without jieba's dictionary (`JIANBAO_DICTIONARY=none`, or nothing installed) words are
    /// still counted, by ICU and the lexicons, and one note says so (docs/WORDS.md).
    @Test func withoutTheDictionary() throws {
        let dir = NSTemporaryDirectory() + "jianbao-nodict-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/corpus", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "· 动态\n标题\n集装箱吞吐量同比增长，集装箱运输稳步发展。（甲港）\n".write(toFile: dir + "/corpus/a.txt", atomically: true, encoding: .utf8)
        for setting in ["none", dir + "/missing.txt"] {
            let run = try Run.jianbao(["--no-header", "-c", ".segment 集装箱", "-c", "freq words limit 1", dir + "/corpus"],
                                      environment: ["JIANBAO_DICTIONARY": setting])
            #expect(run.status == 0)
            // ICU cuts 集装箱 into characters: why the dictionary matters.
            #expect(run.stdout.hasPrefix("集 装 箱\n  集  ICU\n"), "\(run.stdout)")
            #expect(run.stdout.contains("\t2\t"), "the words are counted: \(run.stdout)")
            let notes = run.stderr.components(separatedBy: "note: jieba's dictionary was not found").count - 1
            #expect(notes == 1, "one note per session: \(run.stderr)")
        }
        let with = try Run.jianbao(["--no-header", "-c", ".segment 集装箱", dir + "/corpus"])
        #expect(with.stdout == "集装箱\n  集装箱  dictionary\n" && with.stderr == "", "\(with.stdout)\(with.stderr)")
    }
}
