import Foundation
import Testing
import JianbaoTestSupport

/// poppler is opened only when a PDF is read (CPdfLoader over libJianbaoPdf.so): the program
/// starts without it, and where it cannot be had every other form still loads and each PDF
/// gets one clear error.
@Suite struct LazyPdfTests {
    static let text = "Tests/Fixtures/formats/gb18030/2019-12.txt"
    static let pdf = "Tests/Fixtures/formats/pdf/2019-12.pdf"

    @Test func theProgramStartsWithoutPoppler() throws {
        let result = try Run.program("/usr/bin/ldd", [TestPaths.executable])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("poppler"))
        #expect(!result.stdout.contains("JianbaoPdf"))
        // The library is beside the program, and it is what needs poppler.
        let library = (TestPaths.executable as NSString).deletingLastPathComponent + "/libJianbaoPdf.so"
        #expect(try Run.program("/usr/bin/ldd", [library]).stdout.contains("libpoppler-cpp"))
    }

    @Test func aPdfIsReadThroughTheLibraryOpenedOnDemand() throws {
        let result = try Run.jianbao(["--no-header", "-c", "select issues id, format", Self.pdf, Self.text])
        #expect(result.stdout == "2019-12\tpdf\n2019-12\ttext\n")
        #expect(result.status == 0)
    }

    @Test func withoutTheLibraryTextLoadsAndEachPdfIsAnError() throws {
        // The program alone in a folder of its own: no libJianbaoPdf.so beside it or in ../lib.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jianbao-nopdf-\(getpid())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("bin/jianbao").path
        try FileManager.default.copyItem(atPath: TestPaths.executable, toPath: program)
        // A cache of its own: a snapshot another test wrote must not stand in for reading.
        let cache = folder.appendingPathComponent("cache").path
        let arguments = ["--no-header", "-c", "select issues id, format", Self.text, Self.pdf]
        for run in ["cold", "warm"] {
            let result = try Run.program(program, arguments, environment: ["XDG_CACHE_HOME": cache])
            #expect(result.stdout == "2019-12\ttext\n", "\(run)")
            #expect(result.stderr.contains("\(Self.pdf): error: PDF text is not available (libJianbaoPdf.so: cannot open shared object file"), "\(run)")
            #expect(result.stderr.contains("install Debian's libpoppler-cpp0v5"), "\(run)")
            // As for any file that cannot be read: the rest is loaded and the statement runs.
            #expect(result.status == 0, "\(run)")
        }
        // The PDF's failure was not kept in the snapshot: once the library is beside the same
        // program, the unchanged PDF is read.
        let library = (TestPaths.executable as NSString).deletingLastPathComponent + "/libJianbaoPdf.so"
        try FileManager.default.copyItem(atPath: library, toPath: folder.appendingPathComponent("bin/libJianbaoPdf.so").path)
        let withLibrary = try Run.program(program, arguments, environment: ["XDG_CACHE_HOME": cache])
        #expect(withLibrary.stdout == "2019-12\ttext\n2019-12\tpdf\n")
        #expect(withLibrary.stderr.isEmpty)
    }
}
