import Testing
@testable import JianbaoFuzzing

/// The statements fuzz target keeps `.output`/`.once` inside its own folder, whatever white
/// space separates the file name (a tab once let it write `b营业收內` into the working folder).
@Suite struct FuzzRedirectTests {
    @Test(arguments: [".once b营业收入", ".once\tb营业收入", ".output \t x.csv", ".once 'a b'", ".output\t../../etc/x"])
    func fileNamesStayInTheFuzzFolder(_ line: String) throws {
        let redirected = try #require(FuzzHarness.redirect(line))
        let target = redirected.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
        #expect(target.hasPrefix(FuzzHarness.folder + "/f"), "\(redirected)")
        #expect(!target.dropFirst(FuzzHarness.folder.count + 1).contains("/"), "\(redirected)")
    }

    @Test func commandsAreNeverRun() {
        #expect(FuzzHarness.redirect(".once '|rm -rf x'") == nil)
        #expect(FuzzHarness.redirect(".output\t|sh") == nil)
    }
}
