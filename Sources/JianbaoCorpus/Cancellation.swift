import CBytes

/// One statement's reasons to stop, handed alike to every stage that does long work (the
/// resolver's first segmentation or figure extraction, the evaluator's row walks): Ctrl-C,
/// which the shell's SIGINT handler turns into a flag, and the `.timeout` deadline. Stages
/// poll `isCancelled` between chunks of work and give up with nothing half made.
public struct Cancellation: Sendable {
    /// `Clock.now()` past which the statement stops; nil for no limit.
    public let deadline: UInt64?
    /// Where long steps say how far they are (the shell's progress line); nil for silence.
    public let progress: (any ProgressReporter)?

    /// Stops on Ctrl-C only.
    public static let onInterrupt = Cancellation(deadline: nil)

    public init(deadline: UInt64?, progress: (any ProgressReporter)? = nil) {
        self.deadline = deadline
        self.progress = progress
    }

    /// A limit of `seconds` from now (none for nil).
    public init(seconds: Double?, progress: (any ProgressReporter)? = nil) {
        self.init(deadline: seconds.map { Clock.deadline(after: $0, from: Clock.now()) }, progress: progress)
    }

    /// Whether Ctrl-C was pressed.
    public static var interruptRequested: Bool { jb_interrupt_requested() != 0 }

    /// Forgets an earlier Ctrl-C: called as a statement starts.
    public static func clearInterrupt() { jb_interrupt_set(0) }

    /// Stops the running statement for want of memory: every stage that polls for Ctrl-C
    /// gives up the same way, and the statement fails with `out of memory` instead of
    /// `interrupted` (`stoppedForMemory`). A Ctrl-C pressed meanwhile still reads as one.
    public static func stopForMemory() { jb_interrupt_set(Self.memoryStop) }

    /// Whether the last stop was for memory rather than Ctrl-C or the deadline.
    public static var stoppedForMemory: Bool { jb_interrupt_requested() == Self.memoryStop }

    /// The flag's value for a stop for memory (Ctrl-C sets 1).
    private static let memoryStop: Int32 = 2

    /// Whether the statement should stop now. The clock is read only when there is a deadline.
    public var isCancelled: Bool {
        if Self.interruptRequested { return true }
        guard let deadline else { return false }
        return Clock.now() > deadline
    }

    /// Whether it stopped for its deadline rather than for Ctrl-C.
    public var isPastDeadline: Bool {
        !Self.interruptRequested && deadline.map { Clock.now() > $0 } == true
    }

    /// `isCancelled` as a closure for the `stoppingIf:` parameters.
    public var check: @Sendable () -> Bool {
        let token = self
        return { token.isCancelled }
    }
}

/// Receives how far a long step is: `step` names it ("segmenting words"), `done` of `total`
/// `unit`s ("issues"). Called from worker threads; implementations must be thread-safe and
/// cheap (the shell's draws at most a few times a second).
public protocol ProgressReporter: Sendable {
    func report(_ step: String, done: Int, total: Int, unit: String)
    /// The step is over: erase whatever was drawn.
    func finish()
    /// A statement starts: one that runs long with no step to report says how long it has run.
    func statementStarted()
    /// The statement is over: erase whatever was drawn before its result is shown.
    func statementEnded()
}

extension ProgressReporter {
    public func statementStarted() {}
    public func statementEnded() { finish() }
}
