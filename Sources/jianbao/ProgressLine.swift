@preconcurrency import Glibc
import JianbaoCorpus
import JianbaoQuery

/// One line on standard error saying how far a long step is (`segmenting words  41%
/// 4,100/10,000 issues`), drawn only once the step has run for half a second, redrawn at most
/// ten times a second, and erased when the step ends. Only the interactive shell makes one,
/// and only when standard error is a terminal: pipes, files, `-c` and scripts stay clean.
final class ProgressLine: ProgressReporter, @unchecked Sendable {
    /// Guards everything below: workers report from several threads.
    private var mutex = pthread_mutex_t()
    /// The step being reported and when it began.
    private var step: String?
    private var stepStarted: UInt64 = 0
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

    deinit { pthread_mutex_destroy(&mutex) }

    func report(_ name: String, done: Int, total: Int, unit: String) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let now = Clock.now()
        if step != name {
            step = name
            stepStarted = now
        }
        guard now - stepStarted >= Self.delay, now - lastDrawn >= Self.interval else { return }
        lastDrawn = now
        shown = true
        draw("\r\u{1B}[K" + Self.text(name, done: done, total: total, unit: unit))
    }

    func finish() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        step = nil
        guard shown else { return }
        shown = false
        draw("\r\u{1B}[K")
    }

    /// `segmenting words  41%  4,100/10,000 issues`.
    static func text(_ name: String, done: Int, total: Int, unit: String) -> String {
        let percent = total > 0 ? min(100, done * 100 / total) : 0
        let share = DisplayWidth.pad(String(percent) + "%", to: 4, right: true)
        return "\(name)  \(share)  \(NumberDisplay.grouped(done, minimumDigits: 4))/\(NumberDisplay.grouped(total, minimumDigits: 4)) \(unit)"
    }

    private func draw(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
