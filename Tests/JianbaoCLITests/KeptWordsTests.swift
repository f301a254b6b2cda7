import Foundation
import Testing
import JianbaoTestSupport

/// The word statistics kept beside a snapshot for `freq words` (docs/SNAPSHOT.md) depend on the
/// user's lexicons as the figures do: a changed terms lexicon makes them again.
@Suite struct KeptWordsTests {
    /// The `.words` file in the cache folder, and when it was last written.
    static func kept(_ home: String) throws -> (path: String, bytes: Data, written: Date?) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: home + "/jianbao")) ?? []).filter { $0.hasSuffix(".words") }
        try #require(names.count == 1, "\(names)")
        let path = home + "/jianbao/" + names[0]
        return (path, try #require(FileManager.default.contents(atPath: path)),
                try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }

    @Test func aChangedTermsLexiconMakesTheKeptWordsAgain() throws {
        let dir = try TestPaths.settledFolder(["corpus/a.txt": "· 动态\n标题\n发展银发经济，银发经济前景广阔。（甲单位）\n",
                                               "terms.txt": "# our own words\n低空经济\n"])
        let home = TestPaths.freshCacheHome()
        let environment = ["XDG_CACHE_HOME": home, "JIANBAO_LEXICONS": dir]
        let query = ["--no-header", "-c", "freq words", dir + "/corpus"]

        let cold = try Run.jianbao(query, environment: environment)
        #expect(cold.status == 0 && cold.stdout.contains("银发\t2\t") && !cold.stdout.contains("银发经济"), "\(cold.stdout)\(cold.stderr)")
        let first = try Self.kept(home)
        // Read back, not made again: the next run answers the same from the file as it was.
        let warm = try Run.jianbao(query, environment: environment)
        #expect(warm.stdout == cold.stdout)
        let second = try Self.kept(home)
        #expect(second.bytes == first.bytes && second.written == first.written)

        // The lexicon changes: the answer follows it, as without the cache, and the file is
        // written again with the new words.
        try "# our own words\n低空经济\n银发经济\n".write(toFile: dir + "/terms.txt", atomically: true, encoding: .utf8)
        let changed = try Run.jianbao(query, environment: environment)
        #expect(changed.stdout.contains("银发经济\t2\t") && !changed.stdout.contains("银发\t"), "\(changed.stdout)")
        #expect(changed.stdout == (try Run.jianbao(["--no-cache"] + query, environment: environment)).stdout)
        let third = try Self.kept(home)
        #expect(third.bytes != first.bytes)
        // And the rewritten file serves the next run.
        let again = try Run.jianbao(query, environment: environment)
        #expect(again.stdout == changed.stdout)
        #expect(try Self.kept(home).written == third.written)
    }
}
