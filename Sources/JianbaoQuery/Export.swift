import JianbaoCorpus
import CBytes
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// What `.export` hands on: every target of the schema (`.fields`) with every field, in
/// corpus order, and the words of each article when they have been segmented. SQLite tables
/// and JSON-lines files are two writings of the same rows (docs/EXPORT.md).
public struct ExportSource: Sendable {
    /// One table: a target's rows, or the words, made group by group (ranges of issues).
    public struct Table: Sendable {
        public let name: String
        public let columns: [(name: String, type: FieldType)]
        /// The units rows are made in, in corpus order.
        let groups: [Range<Int>]
        /// The rows of one group, their values one after another (`columns.count` a row).
        let rows: @Sendable (Range<Int>) -> [Value]
    }

    public let tables: [Table]

    /// The columns of every table that get an index in SQLite: the keys people join and filter on.
    static let indexedColumns: Set<String> = ["article", "issue", "metric", "subject", "year", "period"]

    /// The tables of `corpus`. Figures are extracted here if they were not yet (an export holds
    /// every target); words are exported only when something already segmented them, since
    /// segmenting a large archive takes seconds (`freq words` first, then `.export`).
    public init(corpus: Corpus) {
        var tables: [Table] = Schema.targets.map { spec in
            let source = RowSource(corpus: corpus, target: spec.target)
            let fields = spec.fields.map(\.field)
            return Table(name: spec.name, columns: spec.fields.map { ($0.name, $0.type) }, groups: source.groups) { group in
                var values: [Value] = []
                for row in source.rows(of: group) {
                    for field in fields { values.append(source.value(field, row)) }
                }
                return values
            }
        }
        if corpus.words.isBuilt || corpus.words.usedKeptStatistics {
            tables.append(Self.words(corpus))
        }
        self.tables = tables
    }

    /// `words(article, paragraph, position, word)`: every word of every paragraph, positions
    /// counted from 1 within the article, punctuation and numbers left out (as `freq words`).
    static func words(_ corpus: Corpus) -> Table {
        let table = corpus.words.table
        let columns: [(name: String, type: FieldType)] = [("article", .integer), ("paragraph", .integer), ("position", .integer), ("word", .text)]
        return Table(name: "words", columns: columns, groups: corpus.issueChunks()) { group in
            var values: [Value] = []
            for i in group {
                let issue = corpus.issues[i]
                let issueWords = table.issues[i]
                for (a, article) in issue.articles.enumerated() {
                    let id = Value.integer(corpus.articleID(issue: i, article: a))
                    var position = 0
                    var paragraph = 0
                    for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                        paragraph += 1
                        for t in issueWords.range(ofBlocks: b..<(b + 1)) {
                            let word = issueWords.tokens[t]
                            if word == 0 { continue }
                            position += 1
                            values += [id, .integer(paragraph), .integer(position), .text(table.texts[Int(word)])]
                        }
                    }
                }
            }
            return values
        }
    }

    /// Makes `table`'s rows on all cores, a window of groups at a time, while `consume` takes
    /// the window before on the calling thread (SQLite's inserts, a file's writes): making and
    /// writing overlap. `consume` gets each group's values in corpus order and returns false
    /// to stop; so does `isInterrupted` between windows. Returns whether all was consumed.
    static func pipeline<T: Sendable>(_ table: Table, encode: @escaping @Sendable ([Value]) -> T,
                                      isInterrupted: () -> Bool,
                                      consume: (T) throws(ExportError) -> Bool) throws(ExportError) -> Bool {
        let window = max(2, Parallel.coreCount * 2)
        let windows = stride(from: 0, to: table.groups.count, by: window).map { start in
            Array(table.groups[start..<min(start + window, table.groups.count)])
        }
        @Sendable func make(_ groups: [Range<Int>]) -> [T] {
            Parallel.map(groups.count) { encode(table.rows(groups[$0])) }
        }
        let ahead = WindowSlot<[T]>()
        for (w, groups) in windows.enumerated() {
            let made = w == 0 ? make(groups) : ahead.take()
            if w + 1 < windows.count {
                let next = windows[w + 1]
                ahead.fill { make(next) }
            }
            for part in made where try !consume(part) {
                if w + 1 < windows.count { _ = ahead.take() }
                return false
            }
            if isInterrupted() {
                if w + 1 < windows.count { _ = ahead.take() }
                return false
            }
        }
        return true
    }
}

/// One result made on another thread: `fill` starts making it, `take` waits for it.
final class WindowSlot<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    func fill(_ make: @escaping @Sendable () -> T) {
        DispatchQueue.global().async {
            self.value = make()
            self.done.signal()
        }
    }

    func take() -> T {
        done.wait()
        defer { value = nil }
        return value!
    }
}

/// Why an export did not happen; the message names the path.
public struct ExportError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What an export wrote.
public struct ExportSummary {
    public var rows: [(table: String, count: Int)] = []

    /// `exported 7 tables (123,456 rows) to out.db`.
    public func text(to path: String) -> String {
        let total = rows.reduce(0) { $0 + $1.count }
        let tables = rows.map { "\($0.table) \($0.count)" }.joined(separator: ", ")
        return "exported \(rows.count) tables, \(total) rows (\(tables)) to \(path)"
    }
}

/// Where an export may write: never into the corpus, never over a file it did not write
/// before (unless forced), and always by writing a temporary file beside the target and
/// renaming it into place, so a failure or Ctrl-C leaves the old export as it was.
enum ExportTarget {
    /// Refuses a path inside a loaded corpus folder or naming a loaded file.
    static func checkOutsideCorpus(_ path: String, corpusPaths: [String]) throws(ExportError) {
        guard let target = resolvedParent(path) else {
            throw ExportError("cannot export to \(path): its folder does not exist")
        }
        for root in corpusPaths {
            guard let real = realpath(root, nil) else { continue }
            let corpusRoot = String(cString: real)
            free(real)
            if target == corpusRoot || target.hasPrefix(corpusRoot.hasSuffix("/") ? corpusRoot : corpusRoot + "/") {
                throw ExportError("refusing to export into the corpus folder \(root): choose a path outside it")
            }
        }
    }

    /// The real path of `path`'s folder joined with its last component.
    static func resolvedParent(_ path: String) -> String? {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let slash = trimmed.lastIndex(of: "/")
        let folder = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
        let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        guard let real = realpath(folder, nil) else { return nil }
        defer { free(real) }
        let base = String(cString: real)
        return (base == "/" ? "" : base) + "/" + name
    }

    /// A temporary name beside `path`, unique to this process and call.
    static func temporary(beside path: String) -> String {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let slash = trimmed.lastIndex(of: "/")
        let folder = slash.map { String(trimmed[...$0]) } ?? ""
        let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        return folder + "." + name + ".jianbao-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    static func exists(_ path: String) -> (exists: Bool, isFolder: Bool) {
        var st = stat()
        guard stat(path, &st) == 0 else { return (false, false) }
        return (true, (st.st_mode & S_IFMT) == S_IFDIR)
    }

    /// `strerror` for the current errno.
    static var reason: String { String(cString: strerror(errno)) }
}
