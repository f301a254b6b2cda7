import Foundation
import Testing
import JianbaoTestSupport

/// One golden case: `NAME.jbq` run by the real executable, compared with `NAME.out`,
/// `NAME.err` and `NAME.status` beside it (STYLE.md habit 7). `NAME.args` replaces the
/// default arguments `-f $SCRIPT Examples/corpus`; `$SCRIPT` and `$SEED` are filled in.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    /// Path of the script relative to the package root.
    let script: String
    var testDescription: String { script }

    static func all(under folder: String) -> [GoldenCase] {
        let root = TestPaths.packageRoot
        let files = (FileManager.default.enumerator(atPath: root + "/" + folder)?.allObjects as? [String]) ?? []
        return files.filter { $0.hasSuffix(".jbq") }.sorted().map { GoldenCase(script: folder + "/" + $0) }
    }

    var base: String { String(script.dropLast(4)) }

    func arguments() -> [String] {
        let argsPath = TestPaths.packageRoot + "/" + base + ".args"
        guard let text = try? String(contentsOfFile: argsPath, encoding: .utf8) else {
            return ["-f", script, "Examples/corpus"]
        }
        return text.split(separator: "\n").map {
            $0.replacingOccurrences(of: "$SCRIPT", with: script)
              .replacingOccurrences(of: "$SEED", with: "../shared/seed/000_b3e8f2f70fe3def7.txt")
        }
    }
}

@Suite struct GoldenScriptTests {
    static let cases = GoldenCase.all(under: "Tests/Golden")

    @Test(arguments: cases)
    func golden(_ c: GoldenCase) throws {
        let result = try Run.jianbao(c.arguments())
        let root = TestPaths.packageRoot + "/"
        for (actual, ext) in [(result.stdout, "out"), (result.stderr, "err"), ("\(result.status)\n", "status")] {
            if let diff = Golden.check(actual, against: root + c.base + "." + ext) {
                Issue.record(Comment(rawValue: diff))
            }
        }
    }

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 10)
    }
}
