import Foundation
import Testing
import JianbaoTestSupport

/// Word files, web pages and ICU's charset detector are read through libJianbaoForms.so,
/// opened on demand (CLoader): the program starts, and reads UTF-8 text, without mapping
/// Foundation, libxml2, libzip, libz, liblzma or libicui18n; where the library cannot be had,
/// text still loads and each Word file or web page gets one clear error.
@Suite struct LazyFormsTests {
    static let text = "Tests/Fixtures/formats/gb18030/2019-12.txt"
    static let docx = "Tests/Fixtures/formats/docx/2019-12.docx"
    static let html = "Tests/Fixtures/formats/html/2019-12.html"

    /// The libraries the program must not need at start-up (sonames as ldd prints them).
    static let lazy = ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so",
                       "libxml2.so", "libzip.so", "libz.so", "liblzma.so", "libicui18n.so"]

    @Test func theProgramStartsWithoutTheFormsLibraries() throws {
        let linked = try Run.program("/usr/bin/ldd", [TestPaths.executable])
        #expect(linked.status == 0)
        let names = linked.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(!names.isEmpty)
        for library in Self.lazy {
            #expect(!names.contains { $0.hasPrefix(library) }, "\(library) is linked into jianbao")
        }
        #expect(!linked.stdout.contains("JianbaoForms"))
        // The library beside the program is what needs them.
        let forms = (TestPaths.executable as NSString).deletingLastPathComponent + "/libJianbaoForms.so"
        let needs = try Run.program("/usr/bin/ldd", [forms]).stdout
        for library in ["libxml2.so", "libzip.so", "libicui18n.so"] { #expect(needs.contains(library), "\(library)") }
    }

    @Test func wordAndWebPagesAreReadThroughTheLibraryOpenedOnDemand() throws {
        let result = try Run.jianbao(["--no-header", "-c", "select issues id, format", Self.docx, Self.html, Self.text])
        #expect(result.stdout == "2019-12\tdocx\n2019-12\thtml\n2019-12\ttext\n")
        #expect(result.status == 0)
    }

    @Test func withoutTheLibraryTextLoadsAndEachWordFileAndPageIsAnError() throws {
        // The program alone in a folder of its own: no libJianbaoForms.so beside it or in ../lib.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jianbao-noforms-\(getpid())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("bin/jianbao").path
        try FileManager.default.copyItem(atPath: TestPaths.executable, toPath: program)
        let result = try Run.program(program, ["--no-header", "-c", "select issues id, format", Self.text, Self.docx, Self.html],
                                     environment: ["JIANBAO_NO_CACHE": "1"])
        #expect(result.stdout == "2019-12\ttext\n")
        let reason = "cannot be read (libJianbaoForms.so: cannot open shared object file"
        #expect(result.stderr.contains("\(Self.docx): error: Word files \(reason)"), "\(result.stderr)")
        #expect(result.stderr.contains("\(Self.html): error: web pages \(reason)"), "\(result.stderr)")
        #expect(result.stderr.contains("keep libJianbaoForms.so beside jianbao"))
        // One error a file, and the text file read as ever.
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("error:") }.count == 2, "\(result.stderr)")
        #expect(result.status == 0)
    }

    @Test func aFileReadWithoutTheLibraryIsNotKeptInTheSnapshot() throws {
        // Read once without the library, with a cache: the Word file and the page are errors.
        // Then the library is put beside the program: the unchanged files must be read again,
        // not answered from the snapshot as the errors they were.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jianbao-noforms-cache-\(getpid())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("bin/jianbao").path
        try FileManager.default.copyItem(atPath: TestPaths.executable, toPath: program)
        let cache = ["XDG_CACHE_HOME": folder.appendingPathComponent("cache").path]
        let arguments = ["--no-header", "-c", "select issues id, format", Self.text, Self.docx, Self.html]
        let without = try Run.program(program, arguments, environment: cache)
        #expect(without.stdout == "2019-12\ttext\n", "\(without.stderr)")
        let forms = (TestPaths.executable as NSString).deletingLastPathComponent + "/libJianbaoForms.so"
        try FileManager.default.copyItem(atPath: forms, toPath: folder.appendingPathComponent("bin/libJianbaoForms.so").path)
        let with = try Run.program(program, arguments, environment: cache)
        #expect(with.stdout == "2019-12\ttext\n2019-12\tdocx\n2019-12\thtml\n", "\(with.stderr)")
        #expect(!with.stderr.contains("error:"), "\(with.stderr)")
        #expect(with.status == 0)
    }
}
