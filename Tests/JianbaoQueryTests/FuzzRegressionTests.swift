import Foundation
import Testing
@testable import JianbaoQuery
@testable import JianbaoCorpus
import JianbaoTestSupport

/// Every input a fuzz target ever crashed on (Tests/Fixtures/fuzz-crashes/TARGET/, copied from
/// Fuzz/Crashes/ once the bug was fixed), replayed the way the target fed it.
@Suite struct FuzzRegressionTests {
    static let folder = TestPaths.packageRoot + "/Tests/Fixtures/fuzz-crashes"

    static func inputs(_ target: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + target)) ?? []).sorted()
    }

    /// As Fuzz/Sources/FuzzStatements: one session over the sample corpus, the mode chosen by
    /// the input's length, the first 20 lines fed in turn (file and command meta commands
    /// skipped).
    @Test(arguments: inputs("FuzzStatements"))
    func statements(_ name: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/FuzzStatements/" + name))
        let text = String(decoding: bytes, as: UTF8.self)
        let size = bytes.count
        let mode = OutputMode.allCases[size % OutputMode.allCases.count]
        let session = Session(corpus: Self.corpus, mode: mode, style: OutputStyle(headers: true, width: size % 2 == 0 ? nil : 60),
                              bail: false, out: Output(), err: Output())
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(20).enumerated() {
            let word = line.drop { $0 == " " || $0 == "\t" }.prefix { !$0.isWhitespace }.lowercased()
            if [".output", ".once", ".read", ".load", ".reload"].contains(where: { word.hasPrefix($0) }) { continue }
            _ = try? session.feed(String(line), origin: LineOrigin(file: "fuzz", line: n + 1))
        }
        try? session.finish()
    }

    static let corpus = Corpus(CorpusLoader.load(documents: SampleCorpus.documents, parallel: false))

    @Test func theCrashesAreHere() {
        #expect(!Self.inputs("FuzzStatements").isEmpty)
    }
}
