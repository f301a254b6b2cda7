import Foundation
import Testing
import JianbaoTestSupport

/// One golden case: `NAME.jbq` run by the real executable, compared with `NAME.out`,
/// `NAME.err` and `NAME.status` beside it (STYLE.md habit 7). `NAME.args` replaces the
/// default arguments `-f $SCRIPT Examples/corpus`; `$SCRIPT` and `$SEED` are filled in.
/// Scripts under `lib/` folders are read by other cases, not run alone. The analyses in
/// `Examples/` are cases too, with their expectations in `Tests/Golden/examples/`.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    /// Path of the script relative to the package root.
    let script: String
    /// Path of the expectation files without extension.
    let base: String
    var testDescription: String { script }

    static func all(under folder: String, expectationsIn expectations: String? = nil) -> [GoldenCase] {
        let root = TestPaths.packageRoot
        let files = (FileManager.default.enumerator(atPath: root + "/" + folder)?.allObjects as? [String]) ?? []
        let scripts = files.filter { $0.hasSuffix(".jbq") && !$0.split(separator: "/").contains("lib") }
        // In Examples/ only the analyses at the top count (the corpus lives below them).
        let chosen = expectations == nil ? scripts : scripts.filter { !$0.contains("/") }
        return chosen.sorted()
            .map { name in
                let stem = String(name.dropLast(4))
                return GoldenCase(script: folder + "/" + name, base: (expectations ?? folder) + "/" + stem)
            }
    }

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
    static let cases = GoldenCase.all(under: "Tests/Golden") + GoldenCase.all(under: "Examples", expectationsIn: "Tests/Golden/examples")

    /// Each case runs three times against the same expectations (docs/SNAPSHOT.md): cold, in
    /// an empty cache folder of its own (the snapshot is written); warm, read from that
    /// snapshot; and with `JIANBAO_NO_CACHE=1`. Results must not depend on the snapshot.
    @Test(arguments: cases)
    func golden(_ c: GoldenCase) throws {
        let cacheHome = TestPaths.freshCacheHome()
        defer { try? FileManager.default.removeItem(atPath: cacheHome) }
        let runs: [(String, [String: String])] = [("cold", ["XDG_CACHE_HOME": cacheHome]), ("warm", ["XDG_CACHE_HOME": cacheHome]),
                                                  ("no cache", ["JIANBAO_NO_CACHE": "1"])]
        let root = TestPaths.packageRoot + "/"
        for (name, environment) in runs {
            let result = try Run.jianbao(c.arguments(), environment: environment)
            for (actual, ext) in [(result.stdout, "out"), (result.stderr, "err"), ("\(result.status)\n", "status")] {
                if let diff = Golden.check(actual, against: root + c.base + "." + ext) {
                    Issue.record(Comment(rawValue: "\(name): " + diff))
                }
            }
            if Golden.recording { break }
        }
    }

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 20)
        #expect(Self.cases.filter { $0.script.hasPrefix("Examples/") }.count >= 4)
    }
}
