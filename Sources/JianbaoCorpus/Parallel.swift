import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The one way work over the corpus is spread over the cores: items `0..<count` in contiguous
/// chunks, several per core (fewer hand-offs than one task per item, and still balanced when
/// items differ in size), results in chunk order. Long steps stop between items when their
/// `stoppingIf` says so (Ctrl-C, a deadline) and say how far they are to a progress reporter.
public enum Parallel {
    /// Online processors.
    public static let coreCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `0..<count` in about `perCore` contiguous chunks per core (fewer when there are fewer
    /// items); none for no items.
    public static func chunks(_ count: Int, perCore: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = min(count, coreCount * perCore)
        return (0..<n).map { c in (c * count / n)..<((c + 1) * count / n) }
    }

    /// `transform` applied to `0..<count`, on all cores when `parallel`, results in index order.
    public static func map<T>(_ count: Int, parallel: Bool = true, _ transform: @Sendable (Int) -> T) -> [T] {
        guard parallel, count > 1 else { return (0..<count).map(transform) }
        let slots = Slots<T>(count)
        let ranges = chunks(count, perCore: 16)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
            for i in ranges[c] { slots.buffer[i] = transform(i) }
        }
        return slots.take()
    }

    /// `body` on each chunk of `0..<count` (about `perCore` per core), on all cores. `body`
    /// calls `step.next()` before each item and gives up with nil when it returns false; the
    /// whole is then nil, and nothing half made is kept by the caller.
    public static func chunked<T>(_ count: Int, perCore: Int, stoppingIf stop: @escaping @Sendable () -> Bool = { false },
                                  progress: ProgressStep? = nil,
                                  _ body: @Sendable (Range<Int>, WorkStep) -> T?) -> [T]? {
        let ranges = chunks(count, perCore: perCore)
        let step = WorkStep(total: count, stop: stop, progress: progress)
        defer { progress?.reporter.finish() }
        let results = map(ranges.count) { c in body(ranges[c], step) }
        if stop() { return nil }
        var all: [T] = []
        all.reserveCapacity(results.count)
        for result in results {
            guard let result else { return nil }
            all.append(result)
        }
        return all
    }

    /// Fills a new array of `count` elements on all cores: `fill` gets chunk `c` of `chunks`
    /// and a buffer over the whole array, and writes only its own part.
    public static func fill<T>(count: Int, repeating value: T, chunks: Int,
                               _ fill: @Sendable (Int, UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        var array = [T](repeating: value, count: count)
        array.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in fill(c, shared.buffer) }
        }
        return array
    }
}

/// A long step for the progress line: what it does and what it counts
/// (`segmenting words`, `issues`), and where to say it.
public struct ProgressStep: Sendable {
    public let name: String
    public let unit: String
    public let reporter: any ProgressReporter

    public init(_ name: String, unit: String, reporter: any ProgressReporter) {
        self.name = name
        self.unit = unit
        self.reporter = reporter
    }

    /// The step, when there is somewhere to report it.
    public static func named(_ name: String, unit: String, to reporter: (any ProgressReporter)?) -> ProgressStep? {
        reporter.map { ProgressStep(name, unit: unit, reporter: $0) }
    }
}

/// What the chunks of one `Parallel.chunked` share: the count of items done, for the progress
/// line, and the stop condition.
public final class WorkStep: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var done = 0
    private var checked = 0
    private let total: Int
    private let stop: @Sendable () -> Bool
    private let progress: ProgressStep?

    init(total: Int, stop: @escaping @Sendable () -> Bool, progress: ProgressStep?) {
        self.total = total
        self.stop = stop
        self.progress = progress
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Called before each item: false when the work must stop. Counts the item before it as
    /// done (items are issues or files: a lock per item costs nothing beside the item).
    public func next() -> Bool {
        if stop() { return false }
        // Under a memory limit, every few items: is there room for more? (Without one, free.)
        if MemoryHeadroom.isLimited {
            pthread_mutex_lock(&mutex)
            checked += 1
            let check = checked % 8 == 0
            pthread_mutex_unlock(&mutex)
            if check, !MemoryHeadroom.enoughForMoreWork() { return false }
        }
        guard let progress else { return true }
        pthread_mutex_lock(&mutex)
        let finished = done
        done += 1
        pthread_mutex_unlock(&mutex)
        progress.reporter.report(progress.name, done: finished, total: total, unit: progress.unit)
        return true
    }
}

/// Preallocated result slots written by `concurrentPerform`; each index is written once by
/// one worker, so no two threads touch the same slot.
private final class Slots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>

    init(_ count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func take() -> [T] {
        buffer.map { $0! }
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}

/// A buffer handed to parallel workers that each write a disjoint part of it.
private struct SharedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
