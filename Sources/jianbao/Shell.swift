@preconcurrency import Glibc
import CBytes
import CEditShim
import JianbaoCorpus
import JianbaoQuery

/// The interactive shell: a banner, `~/.jianbaorc`, then lines from libedit into the session,
/// with history kept in a file and completion by context.
struct Shell {
    let session: Session
    let quiet: Bool
    /// Run `~/.jianbaorc` first (`--norc` turns it off).
    let readRC: Bool
    /// How long loading the corpus took, for the banner.
    let loadMilliseconds: UInt64

    func run() throws(OutputClosed) {
        guard let editor = EditLine() else {
            session.note("jianbao: cannot start line editing; reading plain lines")
            _ = try session.read(script: "-", arguments: [])
            return
        }
        // While a statement runs the terminal is cooked and Ctrl-C raises SIGINT: the handler
        // only sets the flag the evaluator polls, so the statement stops and the shell stays.
        // While libedit reads a line, Ctrl-C is a key bound to clearing the line.
        jb_interrupt_handle_sigint(1)
        defer { jb_interrupt_handle_sigint(0) }

        let history = Self.historyPath().map { HistoryFile(path: $0, limit: EditLine.historySize) }
        session.historyFile = history?.path
        if let history {
            if let entries = history.load() {
                for entry in entries { editor.remember(entry) }
            } else {
                session.note("jianbao: could not read the history file \(history.path); starting with an empty history")
            }
        }
        let screen = session.terminal as? Screen ?? Screen(out: session.stdout)
        screen.historySource = { [weak editor] in editor?.entries() ?? [] }
        screen.pager = Self.pagerCommand()
        screen.progressLine = ProgressLine()
        session.terminal = screen
        let session = self.session
        editor.complete = { Completer(corpus: session.corpus).complete($0) }

        if !quiet { try banner() }
        if readRC, let home = getenv("HOME") {
            let rc = String(cString: home) + "/.jianbaorc"
            if access(rc, R_OK) == 0, case .stop = try session.read(script: rc, arguments: []) { return }
        }

        var warnedAboutHistory = false
        reading: while true {
            editor.continuing = session.isContinuing
            let line: String
            let read = editor.readLine()
            // A Ctrl-C pressed before the prompt read this line belongs to what ran before it
            // (as in psql and sqlite3); one pressed while this line runs (during a `.load` in a
            // script it reads) stops what follows in it, statements and `.export` alike.
            Cancellation.clearInterrupt()
            switch read {
            case .line(let text):
                line = text
            case .interrupted:
                session.discardPending()
                try session.out.write("\n")
                try session.out.flush()
                continue
            case .end:
                try session.out.write("\n")
                break reading
            }
            let result = try session.feed(line)
            if !session.isContinuing {
                let typed = session.typedInput
                if !typed.trimmingCharacters(in: " \t").isEmpty {
                    editor.remember(typed)
                    // Appended after every statement, so that every way out keeps it, and
                    // only this entry, so that other shells' entries stay too.
                    if let history, !history.append(typed), !warnedAboutHistory {
                        session.note("jianbao: could not write the history file \(history.path)")
                        warnedAboutHistory = true
                    }
                }
            }
            if case .stop = result { break reading }
        }
    }

    func banner() throws(OutputClosed) {
        let corpus = session.corpus
        // Figures are not extracted here: the first statement that needs them does it, where
        // Ctrl-C can stop it (a banner that forced it could not be interrupted; issue 18).
        var text = "jianbao \(Jianbao.version) · \(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article")) "
        text += "loaded in \(loadMilliseconds) ms"
        if corpus.warningCount + corpus.errorCount > 0 {
            text += " · \(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning")) (.check)"
        }
        text += "\nEnter .help for help, .quit or Ctrl-D to leave.\n"
        try session.out.write(text)
        try session.out.flush()
    }

    /// `$XDG_STATE_HOME/jianbao/history` when XDG_STATE_HOME is set, else `~/.jianbao_history`.
    static func historyPath() -> String? {
        if let state = getenv("XDG_STATE_HOME"), state.pointee != 0 {
            let folder = String(cString: state) + "/jianbao"
            mkdir(String(cString: state), 0o755)
            mkdir(folder, 0o700)
            return folder + "/history"
        }
        guard let home = getenv("HOME"), home.pointee != 0 else { return nil }
        return String(cString: home) + "/.jianbao_history"
    }

    /// `$PAGER`, else `less -FRSX` (quits when the output fits, keeps colours, no wrapping).
    static func pagerCommand() -> String {
        if let pager = getenv("PAGER"), pager.pointee != 0 { return String(cString: pager) }
        return "less -FRSX"
    }
}
