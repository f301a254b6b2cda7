import Foundation
import Testing
import JianbaoFuzzing
import JianbaoTestSupport

/// Every input a fuzz target crashed on (Tests/Fixtures/fuzz-crashes/TARGET/, copied from
/// Fuzz/Crashes/ once the bug was fixed), replayed through the target's own harness.
@Suite struct FuzzRegressionTests {
    static let folder = TestPaths.packageRoot + "/Tests/Fixtures/fuzz-crashes"

    static var inputs: [String] {
        FuzzHarness.targets.keys.sorted().flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + target)) ?? []).sorted().map { target + "/" + $0 }
        }
    }

    @Test(arguments: inputs)
    func replay(_ input: String) throws {
        let target = String(input.split(separator: "/")[0])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + input))
        try #require(FuzzHarness.targets[target] != nil)
        FuzzHarness.targets[target]!(Array(bytes))
    }

    @Test func everyFolderNamesATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
        #expect(!folders.isEmpty)
        for folder in folders { #expect(FuzzHarness.targets[folder] != nil, "\(folder)") }
    }
}
