import Testing
#if canImport(Glibc)
import Glibc
#endif
import JianbaoCorpus
@testable import JianbaoQuery

/// `.output '|…'` and `.once '|…'` start their commands only through the session's
/// `CommandLauncher`, which the executable provides (issue 17: JianbaoQuery runs no process).
@Suite struct CommandLauncherTests {
    /// A launcher that runs nothing: it hands out a pipe whose reader is this test, and a
    /// made-up process whose status it reports.
    final class Recorder: CommandLauncher, @unchecked Sendable {
        var started: [String] = []
        var readEnd: Int32 = -1
        var waited = false
        let status: Int32

        init(status: Int32) { self.status = status }

        func start(_ command: String) -> Result<(input: Int32, process: Int32), RedirectError> {
            started.append(command)
            var fds: [Int32] = [0, 0]
            _ = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
            readEnd = fds[0]
            return .success((fds[1], 4242))
        }

        func wait(_ process: Int32) -> Int32 {
            #expect(process == 4242)
            waited = true
            return status
        }

        func readAll() -> String {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(readEnd, &buffer, buffer.count)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            close(readEnd)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    func makeSession(_ launcher: (any CommandLauncher)?) -> (Session, Output) {
        let err = Output()
        let session = Session(corpus: Corpus(CorpusLoader.load(documents: SampleCorpus.documents)), mode: .tsv,
                              style: OutputStyle(headers: true), bail: false, out: Output(), err: err)
        session.commands = launcher
        return (session, err)
    }

    @Test func withoutALauncherACommandIsRefused() throws {
        let (session, err) = makeSession(nil)
        _ = try session.feed(".once '|cat'")
        #expect(err.text.contains("commands cannot be run here: |cat"), "\(err.text)")
    }

    @Test func theLauncherStartsTheCommandAndItsStatusIsReported() throws {
        let ok = Recorder(status: 0)
        let (session, err) = makeSession(ok)
        _ = try session.feed(".once '| sort -r'")
        _ = try session.feed("count articles")
        #expect(ok.started == ["sort -r"])
        #expect(ok.waited)
        #expect(ok.readAll() == "count\n27\n")
        #expect(err.text.isEmpty, "\(err.text)")

        let failing = Recorder(status: 3 << 8)
        let (other, otherErr) = makeSession(failing)
        _ = try other.feed(".once '|false'")
        _ = try other.feed("count articles")
        _ = failing.readAll()
        #expect(otherErr.text.contains("command 'false' exited with status 3"), "\(otherErr.text)")
    }
}
