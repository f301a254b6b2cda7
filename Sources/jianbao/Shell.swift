@preconcurrency import Glibc
import JianbaoCorpus
import JianbaoQuery
import CBytes

/// The interactive shell: a banner, then lines from libedit into the session.
struct Shell {
    let session: Session
    let quiet: Bool

    func run() throws(OutputClosed) {
        guard let editor = EditLine() else {
            session.note("jianbao: cannot start line editing; reading plain lines")
            return
        }
        // While a statement runs the terminal is cooked and Ctrl-C raises SIGINT: the handler
        // only sets the flag the evaluator polls, so the statement stops and the shell stays.
        // While libedit reads a line, Ctrl-C is a key bound to clearing the line.
        jb_interrupt_handle_sigint(1)
        defer { jb_interrupt_handle_sigint(0) }
        if !quiet {
            let corpus = session.corpus
            try session.out.write("jianbao \(Jianbao.version) · \(counted(corpus.issues.count, "issue")), \(counted(corpus.articleCount, "article"))"
                + (corpus.warningCount + corpus.errorCount > 0 ? " · \(counted(corpus.errorCount, "error")), \(counted(corpus.warningCount, "warning")) (.check)" : "")
                + "\nEnter .help for help, .quit or Ctrl-D to leave.\n")
            try session.out.flush()
        }
        var statement: [String] = []
        while true {
            editor.continuing = session.isContinuing
            guard let line = editor.readLine() else {
                try session.out.write("\n")
                break
            }
            if editor.interrupted {
                session.discardPending()
                statement = []
                try session.out.write("\n")
                try session.out.flush()
                continue
            }
            statement.append(line)
            let result = try session.feed(line)
            if !session.isContinuing {
                let text = statement.joined(separator: "\n")
                if !text.trimmingCharacters(in: " \t").isEmpty { editor.remember(text) }
                statement = []
            }
            if case .stop = result { break }
        }
    }
}
