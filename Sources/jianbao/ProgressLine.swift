@preconcurrency import Glibc
import Dispatch
import JianbaoCorpus
import JianbaoQuery

/// One line on standard error saying how far a long step is (`segmenting words   41%
/// 4,100/10,000 issues`), or, for a statement that runs long with no step to report (a sort of
/// millions of rows), how long it has run (`running  2.4 s  (Ctrl-C stops it)`). Drawn only
/// once the step or statement has run for half a second, redrawn at most ten times a second,
/// erased before the result. Only the interactive shell makes one, and only when standard
/// error is a terminal: pipes, files, `-c` and scripts stay clean.
final class ProgressLine: ProgressReporter, @unchecked Sendable {
    /// Guards everything below: workers report from several threads, the timer from another.
    private var mutex = pthread_mutex_t()
    /// The step being reported and when it began.
    private var step: String?
    private var stepStarted: UInt64 = 0
    /// When the running statement began (nil between statements), and its timer.
    private var statementStart: UInt64?
    private var timer: DispatchSourceTimer?
    /// When the line was last drawn, and whether one is on the screen.
    private var lastDrawn: UInt64 = 0
    private var shown = false

    /// Wait this long before drawing: a short step shows nothing.
    static let delay: UInt64 = 500_000_000
    /// Redraw no more often than this.
    static let interval: UInt64 = 100_000_000

    init?() {
        guard isatty(2) == 1 else { return nil }
        pthread_mutex_init(&mutex, nil)
    }

    deinit {
        timer?.cancel()
        pthread_mutex_destroy(&mutex)
    }

    func report(_ name: String, done: Int, total: Int, unit: String) {
        locked {
            let now = Clock.now()
            if step != name {
                step = name
                stepStarted = now
            }
            guard now - stepStarted >= Self.delay, now - lastDrawn >= Self.interval else { return }
            draw(Self.text(name, done: done, total: total, unit: unit), at: now)
        }
    }

    func finish() {
        locked {
            step = nil
            erase()
        }
    }

    func statementStarted() {
        let source = DispatchSource.makeTimerSource(queue: .global())
        source.schedule(deadline: .now() + .nanoseconds(Int(Self.delay)), repeating: .nanoseconds(Int(Self.interval)))
        source.setEventHandler { [weak self] in self?.tick() }
        locked {
            statementStart = Clock.now()
            timer?.cancel()
            timer = source
        }
        source.resume()
    }

    func statementEnded() {
        locked {
            timer?.cancel()
            timer = nil
            statementStart = nil
            step = nil
            erase()
        }
    }

    /// The timer: the statement's running time, unless a step has the line.
    private func tick() {
        locked {
            guard let start = statementStart, step == nil else { return }
            let now = Clock.now()
            let tenths = (now - start) / 100_000_000
            draw("running  \(tenths / 10).\(tenths % 10) s  (Ctrl-C stops it)", at: now)
        }
    }

    /// `segmenting words   41%  4,100/10,000 issues`.
    static func text(_ name: String, done: Int, total: Int, unit: String) -> String {
        let percent = total > 0 ? min(100, done * 100 / total) : 0
        let share = DisplayWidth.pad(String(percent) + "%", to: 4, right: true)
        return "\(name)  \(share)  \(NumberDisplay.grouped(done, minimumDigits: 4))/\(NumberDisplay.grouped(total, minimumDigits: 4)) \(unit)"
    }

    /// Replaces the line (the caller holds the mutex).
    private func draw(_ text: String, at now: UInt64) {
        lastDrawn = now
        shown = true
        write("\r\u{1B}[K" + text)
    }

    /// Clears the line if one is shown (the caller holds the mutex).
    private func erase() {
        guard shown else { return }
        shown = false
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    private func locked(_ body: () -> Void) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        body()
    }
}
