import CBytes
import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// Where `.output` and `.once` send results: a file, or the standard input of a command run
/// through `/bin/sh` (`'|sort | uniq -c'`).
///
/// A regular file is written under a temporary name beside it and renamed into place when the
/// redirection ends, so a failed write, a failed statement under `.once` or a signal leaves the
/// old file as it was (ROBUSTNESS.md); devices and FIFOs (`/dev/null`) are written directly.
public final class Redirect {
    /// Where the bytes for the target are written.
    public let output: Output
    /// The command's process, for a pipe.
    let child: pid_t?
    let fd: Int32
    /// As the user wrote it, for messages.
    let target: String
    /// For a file written under a temporary name: that name, where it goes at the end, and
    /// its slot in the signal handler's list.
    private let staging: (temporary: String, final: String, slot: Int32)?

    /// Who started the command and waits for it.
    private let commands: (any CommandLauncher)?

    private init(fd: Int32, child: pid_t?, target: String, staging: (String, String, Int32)? = nil,
                 commands: (any CommandLauncher)? = nil) {
        self.fd = fd
        self.child = child
        self.commands = commands
        self.target = target
        self.staging = staging
        output = Output(fd: fd, name: child == nil ? target : "'\(target)'")
    }

    /// Opens `target`: `|command` starts the command through `commands` (none: refused),
    /// anything else is a file. `guarded`
    /// says why a file may not be written (a loaded corpus file, a running script), or nil.
    public static func open(_ target: String, commands: (any CommandLauncher)?,
                            guarded: (FileIdentity) -> String? = { _ in nil }) -> Result<Redirect, RedirectError> {
        if target.hasPrefix("|") { return openCommand(target, commands) }
        guard !target.isEmpty else { return .failure(RedirectError(message: "no file name after .output")) }
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists, let reason = guarded(FileIdentity(st)) {
            return .failure(RedirectError(message: "refusing to write \(target): it is \(reason)"))
        }
        if exists, st.st_mode & S_IFMT != S_IFREG {
            let fd = Glibc.open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else { return .failure(RedirectError(message: "cannot write \(target): \(systemError())")) }
            return .success(Redirect(fd: fd, child: nil, target: target))
        }
        // The file's own permissions still rule, though it is replaced rather than written.
        if exists, access(target, W_OK) != 0 {
            return .failure(RedirectError(message: "cannot write \(target): \(systemError())"))
        }
        // Through a link, the file it names is replaced, not the link.
        let final = exists ? realPath(target) ?? target : target
        let folder = final.contains("/") ? String(final[..<final.lastIndex(of: "/")!]) : "."
        let name = final.split(separator: "/").last.map(String.init) ?? final
        var template = Array(((folder.isEmpty ? "" : folder + "/") + "." + name + ".jianbao-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return .failure(RedirectError(message: "cannot write \(target): \(systemError())")) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let mask = umask(0)
        umask(mask)
        fchmod(fd, exists ? st.st_mode & 0o7777 : 0o666 & ~mask)
        jb_pending_files_watch_signals()
        let slot = jb_pending_file_add(temporary, "jianbao: stopped before \(target) was complete; \(exists ? "left as it was" : "not written")\n")
        return .success(Redirect(fd: fd, child: nil, target: target, staging: (temporary, final, slot)))
    }

    private static func openCommand(_ target: String, _ commands: (any CommandLauncher)?) -> Result<Redirect, RedirectError> {
        let command = String(target.dropFirst()).trimmingCharacters(in: " ")
        guard !command.isEmpty else { return .failure(RedirectError(message: "no command after '|'")) }
        guard let commands else { return .failure(RedirectError(message: "commands cannot be run here: \(target)")) }
        return commands.start(command).map { started in
            _ = fcntl(started.input, F_SETFD, FD_CLOEXEC)
            return Redirect(fd: started.input, child: started.process, target: target, commands: commands)
        }
    }

    /// What ending the redirection found.
    public enum Outcome: Equatable {
        case done
        /// Worth a note, not a failure: a command stopped reading before the end (`| head -1`),
        /// a file under `.once` kept as it was after its statement failed.
        case note(String)
        /// A write, the rename or the command failed: an error, the status becomes 1.
        case failed(String)
    }

    /// Flushes, closes, renames a staged file into place (or, with `discard` or after a
    /// failed write, removes it and keeps the old file) and waits for a command to finish.
    @discardableResult
    public func close(discard: Bool = false) -> Outcome {
        var outcome = Outcome.done
        var writeFailure: String?
        do throws(OutputClosed) { try output.flush() } catch { writeFailure = error.failure ?? "" }
        if let staging {
            defer { jb_pending_file_remove(staging.slot) }
            var failure = writeFailure.flatMap { $0.isEmpty ? nil : $0 }
            if failure == nil, fsync(fd) != 0 { failure = "write error on \(target): \(systemError())" }
            if Glibc.close(fd) != 0, failure == nil { failure = "write error on \(target): \(systemError())" }
            if failure == nil, !discard, rename(staging.temporary, staging.final) != 0 {
                failure = "cannot write \(target): \(systemError())"
            }
            guard failure != nil || discard else { return .done }
            unlink(staging.temporary)
            let kept = access(staging.final, F_OK) == 0 ? "\(target) left as it was" : "\(target) not written"
            return failure.map { .failed("\($0); \(kept)") } ?? .note(kept)
        }
        if let failure = writeFailure {
            outcome = failure.isEmpty ? .note("\(target.dropFirst().trimmingCharacters(in: " ")) stopped reading; the rest of the output was dropped")
                                      : .failed(failure)
        }
        Glibc.close(fd)
        guard let child, let commands else { return outcome }
        let status = commands.wait(child)
        let command = "command '\(target.dropFirst().trimmingCharacters(in: " "))'"
        let signal = status & 0x7F, code = (status >> 8) & 0xFF
        if signal != 0, signal != SIGPIPE { return .failed("\(command) was killed by signal \(signal)") }
        if signal == 0, code != 0 {
            return .failed(code == 127 ? "\(command) exited with status 127 (command not found?)" : "\(command) exited with status \(code)")
        }
        return outcome
    }
}

/// Starts the commands results are piped to (`.output '|sort'`, `.once '|wc -l'`, the
/// shell's pager). The executable implements it with `/bin/sh`; `JianbaoQuery` only writes to
/// the pipe and reads the exit status, so it runs no process of its own (and the fuzz harness
/// and library tests, which set none, can start none).
public protocol CommandLauncher: Sendable {
    /// Starts `command` with its standard input a new pipe: the pipe's write end and the
    /// process id.
    func start(_ command: String) -> Result<(input: Int32, process: Int32), RedirectError>
    /// Waits for a started process to end: its wait status (as `waitpid` gives it).
    func wait(_ process: Int32) -> Int32
}

public struct RedirectError: Error {
    /// What went wrong, for the user.
    public var message: String

    public init(message: String) { self.message = message }
}

func systemError(_ code: Int32 = errno) -> String { String(cString: strerror(code)).lowercased() }
