import JianbaoCorpus

/// What a session asks of the terminal its results go to. The executable implements it (the
/// pager, the window size, the progress line, the history of the line editor), so that
/// `JianbaoQuery` knows nothing of terminals and every test runs the same `Session` without
/// one (Lua's `lua_readline` seam).
public protocol SessionTerminal: AnyObject {
    /// Columns of the window now, or nil when results do not go to a terminal. Read before
    /// each statement, so a window resized between statements is followed.
    var columns: Int? { get }
    /// Whether results meant for the screen are gathered and handed to `show` (a pager is set).
    var gathersOutput: Bool { get }
    /// Shows gathered results: through the pager when taller than the screen, else as they are.
    func show(_ bytes: [UInt8])
    /// The statements entered in the shell, oldest first; nil outside the shell.
    var history: [String]? { get }
    /// Where long steps draw their progress line; nil where no line may be drawn.
    var progress: (any ProgressReporter)? { get }
}
