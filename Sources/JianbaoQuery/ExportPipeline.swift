import CBytes
import JianbaoCorpus
import Dispatch

/// The rows of all an export's tables, made on all cores by a producer a few windows ahead
/// of the one thread that writes them (SQLite's inserts, a file's writes), in corpus order,
/// across table boundaries: while the writer creates one table's indexes or waits for the
/// figures, the next table's rows are already being made, and a table whose rows are cheap
/// to write (sentences) leaves the cores free to make ahead the rows of one that is dear to
/// make (figures).
enum ExportPipeline {
    /// Groups made at once on all cores: enough for every core to have work.
    static var window: Int { max(2, Parallel.coreCount * 2) }
    /// Windows made ahead of the writer at most: they are held in memory meanwhile.
    static let depth = 3

    /// Writes `tables`: `begin(t)` before table `t`'s rows, `consume` with each group's rows
    /// encoded by `encode` (on the workers, with the table's index), in order, `end(t)` after them. `consume` returns
    /// false to stop; so does `isInterrupted` between windows. Returns whether all was
    /// written. Nothing is made any more once this returns.
    static func run<T: Sendable>(_ tables: [ExportSource.Table], encode: @escaping @Sendable (Int, [Value]) -> T,
                                 isInterrupted: () -> Bool,
                                 begin: (Int) throws(ExportError) -> Void,
                                 consume: (T) throws(ExportError) -> Bool,
                                 end: (Int) throws(ExportError) -> Void) throws(ExportError) -> Bool {
        // The groups' rows and encodings are blocks of up to a few MB, made and freed by the
        // thousand: by default glibc maps each of those afresh (its threshold only rises after
        // such a block is freed, per arena), so an export of the benchmark archive faulted in
        // 3.6 GB of zeroed pages (920,000 faults, 4 s of system time). Taken from the heap and
        // reused there: 300,000 faults, and the SQLite export 7% faster (BENCHMARKS.md). For
        // the rest of the process: a shell keeps that heap for its next statements.
        jb_malloc_reuse_large_blocks()
        let size = window
        var windows: [(table: Int, groups: [Range<Int>])] = []
        for (t, table) in tables.enumerated() {
            for start in stride(from: 0, to: table.groups.count, by: size) {
                windows.append((t, Array(table.groups[start..<min(start + size, table.groups.count)])))
            }
        }
        let queue = WindowQueue<[T]>(depth: depth)
        let windowList = windows
        DispatchQueue.global().async {
            var makers: [Int: @Sendable (Range<Int>) -> [Value]] = [:]
            for window in windowList {
                guard queue.waitForRoom() else { break }
                let make = makers[window.table] ?? tables[window.table].prepare()
                makers[window.table] = make
                let groups = window.groups
                let t = window.table
                queue.put(Parallel.map(groups.count) { encode(t, make(groups[$0])) })
            }
            queue.finish()
        }
        defer { queue.stop() }
        var next = 0
        for t in tables.indices {
            try begin(t)
            while next < windows.count, windows[next].table == t {
                next += 1
                for part in queue.take() where try !consume(part) { return false }
                if isInterrupted() { return false }
            }
            try end(t)
        }
        return true
    }
}

/// The windows between the producer and the writer: at most `depth` made and not yet taken.
final class WindowQueue<T>: @unchecked Sendable {
    private let room: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let lock = DispatchSemaphore(value: 1)
    private var items: [T] = []
    private var stopped = false
    private let depth: Int

    init(depth: Int) {
        self.depth = depth
        room = DispatchSemaphore(value: depth)
    }

    /// Producer: waits until a window may be made; false when the writer stopped.
    func waitForRoom() -> Bool {
        room.wait()
        lock.wait()
        defer { lock.signal() }
        return !stopped
    }

    /// Producer: hands on a made window.
    func put(_ item: T) {
        lock.wait()
        items.append(item)
        lock.signal()
        filled.signal()
    }

    /// Producer: nothing more will be made.
    func finish() { done.signal() }

    /// Writer: the next window, waiting for it.
    func take() -> T {
        filled.wait()
        lock.wait()
        let item = items.removeFirst()
        lock.signal()
        room.signal()
        return item
    }

    /// Writer: stops the producer and waits until it has given up, so no work outlives the export.
    func stop() {
        lock.wait()
        stopped = true
        items.removeAll()
        lock.signal()
        // The producer may be waiting for room: give it enough to notice the stop.
        for _ in 0..<depth { room.signal() }
        done.wait()
    }
}
