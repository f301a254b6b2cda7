#if canImport(Glibc)
import Glibc
#endif

/// Where `.output` and `.once` send results: a file, or the standard input of a command run
/// through `/bin/sh` (`'|sort | uniq -c'`).
public final class Redirect {
    /// Where the bytes for the target are written.
    public let output: Output
    /// The command's process, for a pipe.
    let child: pid_t?
    let fd: Int32
    /// As the user wrote it, for messages.
    let target: String

    private init(fd: Int32, child: pid_t?, target: String) {
        self.fd = fd
        self.child = child
        self.target = target
        output = Output(fd: fd)
    }

    /// Opens `target`: `|command` starts the command, anything else is a file (truncated).
    public static func open(_ target: String) -> Result<Redirect, RedirectError> {
        if target.hasPrefix("|") {
            let command = String(target.dropFirst()).trimmingCharacters(in: " ")
            guard !command.isEmpty else { return .failure(RedirectError(message: "no command after '|'")) }
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { return .failure(RedirectError(message: "cannot make a pipe: \(systemError())")) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_addclose(&actions, fds[1])
            posix_spawn_file_actions_addclose(&actions, fds[0])
            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
            defer { argv.forEach { free($0) } }
            let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
            Glibc.close(fds[0])
            guard rc == 0 else {
                Glibc.close(fds[1])
                return .failure(RedirectError(message: "cannot run /bin/sh: \(String(cString: strerror(rc)))"))
            }
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            return .success(Redirect(fd: fds[1], child: pid, target: target))
        }
        let fd = Glibc.open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(RedirectError(message: "cannot write \(target): \(systemError())")) }
        return .success(Redirect(fd: fd, child: nil, target: target))
    }

    /// Flushes, closes, and waits for the command to finish.
    public func close() {
        try? output.flush()
        Glibc.close(fd)
        if let child {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
    }
}

public struct RedirectError: Error {
    /// What went wrong, for the user.
    public var message: String
}

func systemError() -> String { String(cString: strerror(errno)).lowercased() }
