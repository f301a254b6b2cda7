@preconcurrency import Glibc
import CEditShim
import JianbaoCorpus
import JianbaoQuery

/// The terminal standard output goes to, as the session sees it: the window's width read at
/// each statement, the pager, the progress line and the line editor's history. Installed by
/// the driver whenever standard output is a terminal; the shell adds the rest.
final class Screen: SessionTerminal {
    /// The session's standard output (results shown without the pager go through it, in
    /// order with everything else written there).
    let out: Output
    /// The command tall results go through (`$PAGER`); nil shows them as they are.
    var pager: String?
    /// The line editor's entries, oldest first.
    var historySource: (() -> [String])?
    /// The progress line on standard error, in the interactive shell only.
    var progressLine: ProgressLine?

    init(out: Output) { self.out = out }

    var columns: Int? { Int(jb_terminal_columns(1)).nonZero ?? 80 }

    var gathersOutput: Bool { pager != nil }

    var history: [String]? { historySource?() }

    var progress: (any ProgressReporter)? { progressLine }

    /// Rows of the window now; 24 when the terminal does not say.
    var rows: Int { Int(jb_terminal_rows(1)).nonZero ?? 24 }

    func show(_ bytes: [UInt8]) {
        let lines = bytes.count { $0 == 0x0A }
        if let pager, lines >= max(1, rows - 1), case .success(let redirect) = Redirect.open("|" + pager, commands: ShellCommands()) {
            _ = try? redirect.output.write(bytes: bytes)
            redirect.close()
            return
        }
        _ = try? out.write(bytes: bytes)
        try? out.flush()
    }
}
