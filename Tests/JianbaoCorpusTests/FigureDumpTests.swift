import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// Prints what the extractor finds (FIGURE_DUMP=1), for working on the rules.
@Suite struct FigureDump {
    @Test(.enabled(if: Golden.environment("FIGURE_DUMP") != nil))
    func dump() {
        let corpus = Corpus(CorpusLoader.load(paths: [seedPath, TestPaths.examples]))
        for (i, issue) in corpus.issues.enumerated() {
            for f in corpus.figures.figures[i] {
                print("\(issue.id)\t\(f.metric)\t\(f.value)\t\(f.unit)\t\(f.qualifier)\t\(f.change.map { String($0) } ?? "")\t\(f.period.map(String.init) ?? "")\t\(f.subject)\t\(issue.string(f.text))")
            }
        }
    }
}
