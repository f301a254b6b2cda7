import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// What `.export` hands on: every target of the schema (`.fields`) with every field, in
/// corpus order, and the words of each article when they have been segmented. SQLite tables
/// and JSON-lines files are two writings of the same rows (docs/EXPORT.md).
public struct ExportSource {
    /// One table: a target's rows, or the words.
    public struct Table {
        public let name: String
        public let columns: [(name: String, type: FieldType)]
        /// Calls `row` with each row's values, in order, until it returns false; false when
        /// stopped.
        let rows: ((([Value]) throws -> Bool)) throws -> Bool
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
            return Table(name: spec.name, columns: spec.fields.map { ($0.name, $0.type) }) { emit in
                var stopped = false
                try source.forEach { row in
                    let values = spec.fields.map { source.value($0.field, row) }
                    if try !emit(values) { stopped = true; return false }
                    return true
                }
                return !stopped
            }
        }
        if corpus.words.isBuilt {
            tables.append(Self.words(corpus))
        }
        self.tables = tables
    }

    /// `words(article, paragraph, position, word)`: every word of every paragraph, positions
    /// counted from 1 within the article, punctuation and numbers left out (as `freq words`).
    static func words(_ corpus: Corpus) -> Table {
        Table(name: "words", columns: [("article", .integer), ("paragraph", .integer), ("position", .integer), ("word", .text)]) { emit in
            let table = corpus.words.table
            for (i, issue) in corpus.issues.enumerated() {
                let issueWords = table.issues[i]
                for (a, article) in issue.articles.enumerated() {
                    let id = Value.integer(corpus.articleID(issue: i, article: a))
                    var position = 0
                    var paragraph = 0
                    for b in article.blocks where issue.blocks[Int(b)].kind == .paragraph {
                        paragraph += 1
                        let ids = issueWords.range(ofBlocks: Int32(b)..<(Int32(b) + 1))
                        for t in ids {
                            let word = issueWords.tokens[t]
                            if word == 0 { continue }
                            position += 1
                            if try !emit([id, .integer(paragraph), .integer(position), .text(table.texts[Int(word)])]) { return false }
                        }
                    }
                }
            }
            return true
        }
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
