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
        /// Makes what the rows are read from (figures extracted, sources summed) and returns
        /// the maker of one group's rows, their values one after another (`columns.count` a
        /// row). Called once, on the thread that makes rows, when the table's turn comes, so
        /// that the tables before it are written meanwhile.
        let prepare: @Sendable () -> @Sendable (Range<Int>) -> [Value]
    }

    public let tables: [Table]

    /// The columns of every table that get an index in SQLite: the keys people join and filter on.
    static let indexedColumns: Set<String> = ["article", "issue", "metric", "subject", "year", "period"]

    /// The columns of `table` given an index (docs/EXPORT.md "Indexes"). The text tables
    /// (paragraphs, sentences, words) are indexed on `article`, the key they join on: their
    /// issue and year are those of the article, which `articles` indexes. An index on the
    /// 1.9 million sentences costs the export a whole scan and sort of the largest table
    /// (issue and year there and in paragraphs: 2.2 s of a 10,000-issue export's 12).
    static func indexed(_ table: String, _ column: String) -> Bool {
        switch table {
        case "paragraphs", "sentences", "words": column == "article"
        default: indexedColumns.contains(column)
        }
    }

    /// The tables of `corpus`. Figures are extracted if they were not yet (an export holds
    /// every target), in the background from here on while the tables before `figures` are
    /// written, and given up on when `isInterrupted` says so; words are exported only when
    /// something already segmented them, since segmenting a large archive takes seconds
    /// (`freq words` first, then `.export`).
    public init(corpus: Corpus, isInterrupted: @escaping @Sendable () -> Bool = { false }) {
        DispatchQueue.global().async { _ = corpus.figures.figures(stoppingIf: isInterrupted) }
        var tables: [Table] = Schema.targets.map { spec in
            let fields = spec.fields.map(\.field)
            return Table(name: spec.name, columns: spec.fields.map { ($0.name, $0.type) },
                         groups: RowSource.groups(of: spec.target, in: corpus)) {
                // Waits for the extraction started above; after a Ctrl-C there is nothing
                // to read, and the export stops before it writes anything more.
                if spec.target == .figures, corpus.figures.figures(stoppingIf: isInterrupted) == nil { return { _ in [] } }
                let source = RowSource(corpus: corpus, target: spec.target)
                return { group in
                    var numbering = SentenceNumbering(corpus)
                    var values: [Value] = []
                    for row in source.rows(of: group) {
                        for field in fields {
                            if field == .sentenceN, let n = numbering.number(source, row) {
                                values.append(.integer(n))
                            } else {
                                values.append(source.value(field, row))
                            }
                        }
                    }
                    return values
                }
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
        let columns: [(name: String, type: FieldType)] = [("article", .integer), ("paragraph", .integer), ("position", .integer), ("word", .text)]
        return Table(name: "words", columns: columns, groups: corpus.issueChunks()) {
            let table = corpus.words.table
            return { group in
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
    }
}

/// A figure's `sentence_n` for an export, the same number `RowSource` gives (the n of its
/// sentence in `select sentences`), with each article's sentences split once for all its
/// figures instead of once per figure: figures come in article order, a dozen to an article.
struct SentenceNumbering {
    let corpus: Corpus
    /// The article whose sentences are held: (issue, article index).
    private var article: (issue: Int, index: Int) = (-1, -1)
    /// Its paragraphs' ranges, each with the sentences before it in the article and its own.
    private var paragraphs: [(range: ByteRange, before: Int, sentences: [ByteRange])] = []

    init(_ corpus: Corpus) { self.corpus = corpus }

    /// The number for figure `row`, or nil when its text is not found in an article's
    /// paragraph (then the caller asks `RowSource`, which never fails).
    mutating func number(_ source: RowSource, _ row: RowRef) -> Int? {
        guard case .integer(let id) = source.value(.article, row),
              case .slice(let text) = source.value(.text, row), let at = text.ranges.first?.lower else { return nil }
        let index = id - corpus.articleID(issue: row.issue, article: 0)
        if article != (row.issue, index) {
            let issue = corpus.issues[row.issue]
            guard issue.articles.indices.contains(index) else { return nil }
            article = (row.issue, index)
            paragraphs.removeAll(keepingCapacity: true)
            var before = 0
            issue.text.withUnsafeBufferPointer { p in
                for b in issue.articles[index].blocks where issue.blocks[Int(b)].kind == .paragraph {
                    let range = issue.blocks[Int(b)].range
                    let sentences = Sentences.split(p, range)
                    paragraphs.append((range, before, sentences))
                    before += sentences.count
                }
            }
        }
        guard let paragraph = paragraphs.first(where: { $0.range.lower <= at && at < $0.range.upper }) else { return nil }
        let k = paragraph.sentences.firstIndex { $0.upper > at } ?? max(0, paragraph.sentences.count - 1)
        return paragraph.before + k + 1
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

    /// Has a signal that ends the program (SIGINT outside the shell, SIGTERM, SIGHUP,
    /// SIGQUIT) remove `temporary` and say that `target` was not completed, as `.output` and
    /// `.once` files are; the slot to give back (`jb_pending_file_remove`) once it is renamed
    /// or removed, -1 when every slot is taken (then the file is only left behind).
    @discardableResult
    static func watch(_ temporary: String, for target: String, existed: Bool? = nil) -> Int32 {
        jb_pending_files_watch_signals()
        let was = (existed ?? exists(target).exists) ? "left as it was" : "not written"
        return jb_pending_file_add(temporary, "jianbao: stopped before \(target) was complete; \(was)\n")
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
