import Foundation
import Testing
@testable import JianbaoCorpus
import JianbaoTestSupport

/// A temporary folder removed after the test.
final class TempFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "jianbao-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }
}

let goodIssue = "· 动态\n标题\n\(long)（甲）\n"

@Suite struct LoaderTests {
    @Test func foldersLoadRecursivelyInByteOrderSkippingHiddenEntries() throws {
        let dir = try TempFolder()
        for name in ["b.txt", "a/z.txt", "a/b.txt", "A.txt", "中.txt", ".hidden.txt", ".git/x.txt", "notes.md", "a-b.txt"] {
            try dir.write(name, goodIssue)
        }
        let result = CorpusLoader.load(paths: [dir.path])
        #expect(result.issues.map { String($0.path.dropFirst(dir.path.count + 1)) } == ["A.txt", "a-b.txt", "a/b.txt", "a/z.txt", "b.txt", "中.txt"])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func badPathsAreReportedAndTheRestLoads() throws {
        let dir = try TempFolder()
        let good = try dir.write("good.txt", goodIssue)
        try dir.write("empty/readme.md", "no bulletins here")
        let binary = try dir.write("bin/x.txt", bytes: [0x41, 0, 0x42])
        mkfifo(dir.path + "/fifo.txt", 0o644)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/self.txt", withDestinationPath: dir.path + "/self.txt")
        try FileManager.default.createDirectory(atPath: dir.path + "/loop", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/loop/again", withDestinationPath: dir.path + "/loop")
        try dir.write("loop/inner.txt", goodIssue)

        let result = CorpusLoader.load(paths: [good, dir.path + "/missing.txt", dir.path + "/empty", binary,
                                               dir.path + "/fifo.txt", dir.path + "/self.txt", dir.path + "/loop"])
        #expect(result.issues.map(\.id) == ["good", "inner"])
        let d = result.diagnostics.map { $0.description.replacingOccurrences(of: dir.path, with: "D") }
        #expect(d == [
            "D/missing.txt: error: no such file or folder",
            "D/empty: error: no bulletin files (.txt, .docx, .pdf, .html) in this folder",
            "D/self.txt: error: symbolic link loop",
            "D/loop/again: error: symbolic link loop (folder contains itself); not followed",
            "D/bin/x.txt: error: binary file (NUL byte at offset 1); skipped",
            "D/fifo.txt: error: not a regular file",
        ])
    }

    /// Root reads files whatever their mode, so this case needs an ordinary user; the next
    /// test shows the same path as root.
    @Test(.enabled(if: getuid() != 0, "root reads files whatever their mode"))
    func unreadableFileIsReported() throws {
        let dir = try TempFolder()
        let file = try dir.write("secret.txt", goodIssue)
        chmod(file, 0)
        let result = CorpusLoader.load(paths: [file])
        #expect(result.diagnostics.map(\.message) == ["cannot read: permission denied"])
    }

    /// A regular file that opens but cannot be read, even by root.
    @Test func readFailureIsReported() throws {
        let result = CorpusLoader.load(paths: ["/proc/self/mem", seedPath])
        #expect(result.issues.map(\.id) == ["000_b3e8f2f70fe3def7"])
        #expect(result.diagnostics.map(\.description) == ["/proc/self/mem: error: cannot read: input/output error"])
    }

    @Test func parallelLoadEqualsSerialLoad() throws {
        let dir = try TempFolder()
        for i in 0..<200 {
            let text = i % 17 == 0 ? "no marker\n" : "· 动态\n标题\(i)\n\(long)\(String(repeating: "字", count: i))（单位\(i % 7)）\n乙\n\(long)\n"
            try dir.write(String(format: "%03d.txt", i), text)
        }
        let paths = [dir.path, TestPaths.examples, seedPath]
        let parallel = CorpusLoader.load(paths: paths, parallel: true)
        let serial = CorpusLoader.load(paths: paths, parallel: false)
        #expect(parallel.diagnostics == serial.diagnostics)
        #expect(parallel.issues.count == serial.issues.count)
        for (p, s) in zip(parallel.issues, serial.issues) {
            #expect(p.id == s.id && p.text == s.text && p.blocks == s.blocks && p.articles == s.articles && p.sections == s.sections)
        }
    }

    @Test func duplicateIssueIDsAreReported() throws {
        let dir = try TempFolder()
        try dir.write("a/2024-01.txt", goodIssue)
        try dir.write("b/2024-01.txt", goodIssue)
        let corpus = Corpus(CorpusLoader.load(paths: [dir.path]))
        #expect(corpus.issues.count == 2)
        #expect(corpus.diagnostics.map(\.message) == ["issue id '2024-01' is also the id of \(dir.path)/a/2024-01.txt"])
    }

    /// Ids are compared as bytes only when no normalisation can make two of them equal;
    /// canonically equivalent ids (a precomposed and a decomposed é, a CJK compatibility
    /// ideograph and the ideograph it stands for) are still the same id.
    @Test func duplicateIssueIDsAreFoundByBytesAndByCanonicalEquivalence() throws {
        #expect(PlainID.isPlain("简报2019年第1期_〇一") && PlainID.isPlain("２０２４－０１") && PlainID.isPlain(""))
        #expect(!PlainID.isPlain("caf\u{E9}") && !PlainID.isPlain("\u{F900}") && !PlainID.isPlain("〪") && !PlainID.isPlain("😀"))
        let dir = try TempFolder()
        try dir.write("a/简报第1期.txt", goodIssue)
        try dir.write("b/简报第1期.TXT", goodIssue)
        let plain = Corpus(CorpusLoader.load(paths: [dir.path + "/a", dir.path + "/b"]))
        #expect(plain.diagnostics.map(\.message) == ["issue id '简报第1期' is also the id of \(dir.path)/a/简报第1期.txt"])
        try dir.write("c/caf\u{E9}.txt", goodIssue)
        try dir.write("d/cafe\u{301}.txt", goodIssue)
        try dir.write("e/\u{8C48}.txt", goodIssue)
        try dir.write("f/\u{F900}.txt", goodIssue)
        let mixed = Corpus(CorpusLoader.load(paths: [dir.path + "/a", dir.path + "/c", dir.path + "/d", dir.path + "/e", dir.path + "/f"]))
        #expect(mixed.diagnostics.map(\.message) == [
            "issue id 'cafe\u{301}' is also the id of \(dir.path)/c/caf\u{E9}.txt",
            "issue id '\u{F900}' is also the id of \(dir.path)/e/\u{8C48}.txt",
        ])
        // Loaded later on top (`.load`): checked against what is there.
        var more = plain
        more.append(CorpusLoader.load(paths: [dir.path + "/f", dir.path + "/e"]))
        #expect(more.diagnostics.count == 2 && more.diagnostics[1].message == "issue id '\u{8C48}' is also the id of \(dir.path)/f/\u{F900}.txt")
    }

    /// The walk's paths and ids are made from the bytes: extensions in any case, Word's lock
    /// files skipped, a folder named with a slash at its end, a name that is not UTF-8, and
    /// a relative link stat'ed from its own folder.
    @Test func walkedPathsAndIDsComeFromTheBytes() throws {
        let dir = try TempFolder()
        try dir.write("in/X.TXT", goodIssue)
        try dir.write("in/w.txt.txt", goodIssue)
        try dir.write("in/~$lock.txt", goodIssue)
        try dir.write("in/sub/z.htm", "<html><body><p>· 动态</p><p>标题</p><p>\(long)（甲）</p></body></html>")
        try dir.write("in/.txt", goodIssue)
        try dir.write("out/real.txt", goodIssue)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/in/link.txt", withDestinationPath: "../out/real.txt")
        let gbk: [UInt8] = Array((dir.path + "/in/").utf8) + [0xB2, 0xE2] + Array(".txt".utf8)
        let fd = gbk.withUnsafeBufferPointer { p in (Array(p) + [0]).withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) } }
        #expect(fd >= 0)
        _ = goodIssue.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        var expander = PathExpander()
        expander.add(dir.path + "/in/")
        #expect(expander.diagnostics.isEmpty)
        let shown = "\u{FFFD}\u{FFFD}"
        #expect(expander.files.map(\.path) == [dir.path + "/in/X.TXT", dir.path + "/in/link.txt", dir.path + "/in/sub/z.htm",
                                               dir.path + "/in/w.txt.txt", dir.path + "/in/\(shown).txt"])
        #expect(expander.files.map(\.id) == ["X", "link", "z", "w.txt", shown])
        #expect(expander.files.last?.bytes == gbk)
        var real = stat()
        stat(dir.path + "/out/real.txt", &real)
        #expect(expander.files[1].stamp == FileStamp(real))
        var one = PathExpander()
        one.add(dir.path + "/in/X.TXT")
        #expect(one.files.map(\.path) == [dir.path + "/in/X.TXT"] && one.files.map(\.id) == ["X"])
    }

    @Test func articleIDsAreGlobalAndStableWhenMoreIsLoaded() throws {
        var corpus = Corpus(CorpusLoader.load(paths: [seedPath]))
        #expect(corpus.articleCount == 5)
        corpus.append(CorpusLoader.load(paths: [TestPaths.examples]))
        #expect(corpus.articleID(issue: 0, article: 4) == 5)
        #expect(corpus.articleID(issue: 1, article: 0) == 6)
        let located = try #require(corpus.locate(articleID: 6))
        #expect(located.issue == 1 && located.article == 0)
        #expect(corpus.locate(articleID: 0) == nil)
        #expect(corpus.locate(articleID: corpus.articleCount + 1) == nil)
    }
}

@Suite struct SampleCorpusTests {
    /// The bundled copy is Examples/corpus byte for byte (Scripts/embed-sample regenerates it).
    @Test func embeddedSampleMatchesExamples() {
        let embedded = SampleCorpus.documents
        let disk = CorpusLoader.load(paths: [TestPaths.examples]).issues
        #expect(embedded.map { String($0.path.dropFirst("sample/".count)) } == disk.map { String($0.path.dropFirst(TestPaths.examples.count + 1)) })
        for (doc, issue) in zip(embedded, disk) {
            #expect(doc.bytes == issue.text, "\(doc.path) differs from Examples/corpus: run Scripts/embed-sample")
        }
    }

    /// Every Examples issue has its expected structure in Golden/sample-structure.txt.
    @Test func sampleStructureIsGolden() {
        let corpus = Corpus(CorpusLoader.load(documents: SampleCorpus.documents))
        var text = ""
        for issue in corpus.issues {
            text += "== \(issue.path) · id \(issue.id) · date \(issue.date?.description ?? "-") · number \(issue.number.map(String.init) ?? "-")\n"
            text += "title: \(issue.title)\n"
            for line in outline(issue) { text += line + "\n" }
        }
        text += "== diagnostics\n"
        for d in corpus.diagnostics { text += d.description + "\n" }
        let path = TestPaths.packageRoot + "/Tests/JianbaoCorpusTests/Golden/sample-structure.txt"
        if let diff = Golden.check(text, against: path) { Testing.Issue.record(Comment(rawValue: diff)) }
    }
}
