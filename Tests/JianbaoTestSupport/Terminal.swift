import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `jianbao` on a pseudo-terminal, for tests of the interactive shell.
///
/// PLATFORM.md's race: libedit prints the prompt before it takes the terminal out of
/// canonical mode, so keys sent at once are echoed twice or lost. `waitForEditor` polls the
/// terminal's mode until the line editor has it; every `type` waits for that first.
public final class Terminal {
    public let pid: pid_t
    let master: Int32
    /// Everything the program wrote, raw.
    public private(set) var raw: [UInt8] = []

    /// Starts `jianbao ARGUMENTS` (paths in them should be absolute: the child keeps the
    /// test's working directory).
    public init(arguments: [String], environment: [String: String], rows: UInt16 = 24, columns: UInt16 = 100) throws {
        var master: Int32 = 0, slave: Int32 = 0
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw TerminalError.openpty }
        var name = [CChar](repeating: 0, count: 128)
        guard ttyname_r(slave, &name, name.count) == 0 else { throw TerminalError.openpty }
        self.master = master

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session (POSIX_SPAWN_SETSID, glibc 2.26+, hidden from Swift behind
        // _GNU_SOURCE), and the signal mask and dispositions of a program started from a
        // shell: the test runner's threads block signals, which a child would inherit.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTSTP, SIGHUP, SIGTERM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid, the terminal becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        posix_spawn_file_actions_addclose(&actions, slave)
        let argv = ([TestPaths.executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, TestPaths.executable, &actions, &attributes, argv, envp)
        close(slave)
        guard rc == 0 else { close(master); throw TerminalError.spawn(rc) }
        self.pid = pid
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    /// A plain environment: a home of its own, no locale unless given.
    public static func environment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ["HOME": home, "TERM": "vt100", "PATH": "/usr/bin:/bin"]
        // Sanitizer settings pass through (Scripts/sanitize turns leak checks off).
        for key in ["ASAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"] {
            if let value = ProcessInfo.processInfo.environment[key] { env[key] = value }
        }
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Waits until the line editor has the terminal (canonical mode off).
    public func waitForEditor(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var mode = termios()
        while Date() < deadline {
            drain()
            if tcgetattr(master, &mode) == 0, mode.c_lflag & tcflag_t(ICANON) == 0 { return }
            usleep(2000)
        }
        throw TerminalError.timeout("the line editor to take the terminal; screen: \(screen)")
    }

    /// Waits until the terminal is back in canonical mode: the editor has handed it over and
    /// a statement is running.
    public func waitForStatement(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var mode = termios()
        while Date() < deadline {
            drain()
            if tcgetattr(master, &mode) == 0, mode.c_lflag & tcflag_t(ICANON) != 0 { return }
            usleep(1000)
        }
        throw TerminalError.timeout("a statement to start")
    }

    /// Changes the window size, as a terminal emulator does when its window is resized.
    public func resize(rows: UInt16, columns: UInt16) throws {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else { throw TerminalError.write }
    }

    /// Types keys once the editor is ready.
    public func type(_ keys: String) throws {
        try waitForEditor()
        try send(keys)
    }

    /// Sends bytes as they are (for keys typed while a statement runs).
    public func send(_ keys: String) throws {
        var bytes = Array(keys.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EAGAIN || errno == EINTR { usleep(1000); continue }; throw TerminalError.write }
            offset += n
        }
    }

    /// Waits until the output, escape sequences removed, contains `text` after the part
    /// already consumed; returns what came up to and including it.
    @discardableResult
    public func expect(_ text: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            drain()
            let shown = screen
            if let range = shown.range(of: text, range: consumed..<shown.endIndex) {
                let seen = String(shown[consumed..<range.upperBound])
                consumed = range.upperBound
                return seen
            }
            usleep(2000)
        }
        throw TerminalError.timeout("'\(text)'; screen since the last match: \(String(screen[consumed...]).suffix(600))")
    }

    var consumed: String.Index {
        get { screenConsumed ?? screen.startIndex }
        set { screenConsumed = newValue }
    }
    private var screenConsumed: String.Index?

    /// Waits for the program to end; its exit status.
    public func waitForExit(timeout: Double = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            drain()
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return (status >> 8) & 0xFF }
            usleep(5000)
        }
        throw TerminalError.timeout("the program to exit")
    }

    func drain() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress!, $0.count) }
            if n <= 0 { return }
            raw += chunk[0..<n]
            cachedScreen = nil
        }
    }

    private var cachedScreen: String?

    /// The output as text with terminal escape sequences and carriage returns removed.
    public var screen: String {
        if let cachedScreen { return cachedScreen }
        let text = Self.strip(String(decoding: raw, as: UTF8.self))
        cachedScreen = text
        return text
    }

    /// Columns a line of plain text takes on the terminal: CJK and full-width characters two,
    /// others one (enough for tables of Chinese text; the program's own DisplayWidth is the
    /// thing under test, so it is not used here).
    public static func width(_ line: String) -> Int {
        line.unicodeScalars.reduce(0) { total, c in
            switch c.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                return total + 2
            default:
                return total + 1
            }
        }
    }

    static func strip(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if c == "\u{1B}" {
                guard let next = scalars.popFirst() else { break }
                if next == "[" {
                    while let d = scalars.popFirst(), !(0x40...0x7E).contains(d.value) {}
                } else if next == "]" {
                    while let d = scalars.popFirst(), d != "\u{07}" {}
                }
                continue
            }
            if c == "\r" || c == "\u{07}" || c == "\u{08}" { continue }
            out.append(c)
        }
        return String(out)
    }
}

public enum TerminalError: Error {
    case openpty
    case spawn(Int32)
    case write
    case timeout(String)
}
