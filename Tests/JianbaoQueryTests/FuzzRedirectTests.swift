import Foundation
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

    /// Lines the checks once missed and the session then ran: a `.once` after "\r\n" (one
    /// Character, so the input was not split there) and a variable holding `.once FILE`.
    /// Both wrote `a.txt…` files into the repository root during a fuzzing run.
    @Test(arguments: ["count issues\r\n.once fuzz-escape-1.txt\ncount issues",
                      ".set a .once fuzz-escape-2.txt\n$a\ncount issues",
                      ".set a '.output fuzz-escape-3.txt'\n$a\ncount issues\n.output off"])
    func hiddenRedirectsWriteNothingHere(_ input: String) throws {
        let name = try #require(input.split(separator: " ").first { $0.hasPrefix("fuzz-escape") }).prefix { $0 != "'" && $0 != "\n" }
        let path = FileManager.default.currentDirectoryPath + "/" + name
        defer { try? FileManager.default.removeItem(atPath: path) }
        FuzzHarness.statements(Array(input.utf8))
        #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written")
    }
}
