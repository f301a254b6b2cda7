import Foundation
import Testing
import JianbaoTestSupport

/// `.load --encoding NAME PATH` in a script (the load notes carry timings, so no golden file).
@Suite struct EncodingOptionTests {
    static func withoutTimings(_ text: String) -> String {
        text.replacingOccurrences(of: #" in [0-9.]+ ms"#, with: "", options: .regularExpression)
    }

    @Test func loadWithAnEncodingIsKeptByReload() throws {
        let script = """
            .load --encoding big5 Tests/Fixtures/formats/gb18030/2019-12.txt
            .load --encoding gbk Tests/Fixtures/formats/gb18030/2020年第6期.txt
            .reload
            select id, encoding, articles from issues;
            .load --encoding no-such-thing Tests/Fixtures/formats/gb18030/2021-09-30.txt

            """
        let result = try Run.jianbao(["-f", "-", "Tests/Fixtures/forms/2024-01-normalise.txt"], input: script)
        // GB18030 bytes read as Big5 are other characters: no markers, so no articles.
        #expect(result.stdout == "id\tencoding\tarticles\n2024-01-normalise\tUTF-8\t1\n2019-12\tBig5\t0\n2020年第6期\tGBK\t3\n")
        #expect(Self.withoutTimings(result.stderr) == """
            loaded 1 issue, 0 articles; 1 warning (.check)
            loaded 1 issue, 3 articles
            reloaded 3 issues, 4 articles
            error: .load --encoding: ICU knows no encoding named 'no-such-thing' (try GB18030, GBK, Big5, UTF-16LE, UTF-16BE)

            """)
        #expect(result.status == 1)
    }

    @Test func loadEncodingNeedsANameAndAPath() throws {
        let result = try Run.jianbao(["-c", ".load --encoding gbk", "Tests/Fixtures/forms/2024-01-normalise.txt"])
        #expect(result.stderr.contains("usage: .load [--encoding NAME] PATH…"))
        #expect(result.status == 1)
    }
}
