#if canImport(Glibc)
import Glibc
#endif
import JianbaoQuery

/// Runs the commands results are piped to through `/bin/sh -c`, as sqlite3's `.output '|…'`
/// and psql's `\o |…` do: the one place the program starts a process.
struct ShellCommands: CommandLauncher {
    func start(_ command: String) -> Result<(input: Int32, process: Int32), RedirectError> {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            return .failure(RedirectError(message: "cannot make a pipe: \(String(cString: strerror(errno)).lowercased())"))
        }
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
        close(fds[0])
        guard rc == 0 else {
            close(fds[1])
            return .failure(RedirectError(message: "cannot run /bin/sh: \(String(cString: strerror(rc)))"))
        }
        return .success((fds[1], pid))
    }

    func wait(_ process: Int32) -> Int32 {
        var status: Int32 = 0
        while waitpid(process, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}
