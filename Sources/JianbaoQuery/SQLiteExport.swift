import JianbaoCorpus
import CSQLite
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// `.export sqlite PATH`: one table per target, columns named and typed as the fields, list
/// fields as JSON text, `articles.id` the integer primary key, indexes on the join keys.
enum SQLiteExport {
    /// Marks a database as one Jianbao wrote (`PRAGMA application_id`, "JBAO"), so a later
    /// export may replace it without `force`.
    static let applicationID: Int64 = 0x4A42_414F

    static func sqlType(_ type: FieldType) -> String {
        switch type {
        case .integer: return "INTEGER"
        case .number: return "REAL"
        case .text, .date, .list: return "TEXT"
        }
    }

    /// Whether `path` is a database this program wrote.
    static func isOurs(_ path: String) -> Bool {
        guard let db = jb_db_open(path, nil) else { return false }
        defer { jb_db_close(db) }
        return jb_db_integer(db, "PRAGMA application_id", 0) == applicationID
    }

    static func write(_ source: ExportSource, to path: String, force: Bool,
                      isInterrupted: () -> Bool) throws(ExportError) -> ExportSummary {
        let existing = ExportTarget.exists(path)
        if existing.isFolder { throw ExportError("cannot export to \(path): it is a folder") }
        if existing.exists, !force, !isOurs(path) {
            throw ExportError("refusing to overwrite \(path): it is not a database Jianbao wrote (add force to replace it)")
        }
        let temporary = ExportTarget.temporary(beside: path)
        // A signal that ends the program (Ctrl-C in a `-c`/`-f` run, SIGTERM) removes it.
        let pending = ExportTarget.watch(temporary, for: path, existed: existing.exists)
        defer { jb_pending_file_remove(pending) }
        var message: UnsafeMutablePointer<CChar>?
        guard let db = jb_db_open(temporary, &message) else {
            let why = message.map { String(cString: $0) } ?? "unknown error"
            jb_db_free_message(message)
            throw ExportError("cannot write \(path): \(why)")
        }
        var summary = ExportSummary()
        do {
            try fill(db, source, &summary, isInterrupted: isInterrupted)
            jb_db_close(db)
        } catch {
            jb_db_close(db)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let why = ExportTarget.reason
            unlink(temporary)
            throw ExportError("cannot write \(path): \(why)")
        }
        return summary
    }

    private static func fill(_ db: OpaquePointer, _ source: ExportSource, _ summary: inout ExportSummary,
                             isInterrupted: () -> Bool) throws(ExportError) {
        func exec(_ sql: String) throws(ExportError) {
            if jb_db_exec(db, sql) != 0 { throw ExportError("sqlite: \(String(cString: jb_db_message(db))) in: \(sql)") }
        }
        // The file is a temporary one until it is renamed into place, and nobody else opens
        // it: no journal, no syncs, no locks taken per statement; the index builds sort in
        // memory, on all cores. (Larger pages, a larger cache and reading pages back through
        // a mapping were measured too and did not help: docs/BENCHMARKS.md, "Export".)
        try exec("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA temp_store = MEMORY; PRAGMA threads = \(Parallel.coreCount);
            PRAGMA application_id = \(applicationID); BEGIN
            """)
        var insert: OpaquePointer?
        defer { jb_stmt_finalize(insert) }
        var count = 0
        var width = 0
        let finished = try ExportPipeline.run(source.tables, encode: { CellBuffer($1) }, isInterrupted: isInterrupted, begin: { t throws(ExportError) in
            let table = source.tables[t]
            let columns = table.columns.map { column -> String in
                let key = table.name == "articles" && column.name == "id" ? " PRIMARY KEY" : ""
                return "\"\(column.name)\" \(sqlType(column.type))\(key)"
            }
            try exec("CREATE TABLE \"\(table.name)\" (\(columns.joined(separator: ", ")))")
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            guard let prepared = jb_stmt_prepare(db, "INSERT INTO \"\(table.name)\" VALUES (\(marks))") else {
                throw ExportError("sqlite: \(String(cString: jb_db_message(db)))")
            }
            insert = prepared
            count = 0
            width = table.columns.count
        }, consume: { cells throws(ExportError) in
            guard let insert else { return false }
            let rc = cells.bytes.withUnsafeBufferPointer { p -> Int32 in
                var reader = CellReader(p)
                while !reader.atEnd {
                    for i in 1...width {
                        let rc = reader.bindNext(insert, Int32(i))
                        if rc != 0 { return rc }
                    }
                    let rc = jb_stmt_step_reset(insert)
                    if rc != 0 { return rc }
                    count += 1
                }
                return 0
            }
            if rc != 0 { throw ExportError("sqlite: \(String(cString: jb_db_message(db)))") }
            return true
        }, end: { t throws(ExportError) in
            jb_stmt_finalize(insert)
            insert = nil
            // Indexes after the rows: one sorted build each instead of a B-tree insert a row.
            let table = source.tables[t]
            for column in table.columns where ExportSource.indexed(table.name, column.name) {
                try exec("CREATE INDEX \"\(table.name)_\(column.name)\" ON \"\(table.name)\" (\"\(column.name)\")")
            }
            if table.name == "issues" { try exec("CREATE INDEX issues_id ON issues (id)") }
            summary.rows.append((table.name, count))
        })
        if !finished { throw ExportError("interrupted: nothing was written") }
        try exec("COMMIT")
    }

}

/// A group's rows encoded on a worker for the thread that inserts them: per cell a tag byte,
/// then 8 bytes (integer, double) or a 4-byte length and the UTF-8 text. The inserting thread
/// binds straight from these bytes (no copy, no reference counting there).
struct CellBuffer: Sendable {
    var bytes: [UInt8] = []

    /// Encodes `values`. The bytes are reserved at once (no regrowing copies), and a run of
    /// texts from one issue is copied under one access to its bytes.
    init(_ values: [Value]) {
        var out = Writer()
        out.bytes.reserveCapacity(Self.size(values))
        var i = 0
        while i < values.count {
            guard case .slice(let first) = values[i] else {
                out.append(values[i])
                i += 1
                continue
            }
            first.issue.text.withUnsafeBufferPointer { text in
                while i < values.count {
                    if case .slice(let slice) = values[i] {
                        if slice.issue !== first.issue { break }
                        out.slice(slice, in: text)
                    } else {
                        out.append(values[i])
                    }
                    i += 1
                }
            }
        }
        bytes = out.bytes
    }

    /// The bytes `values` take, lists guessed.
    static func size(_ values: [Value]) -> Int {
        var size = 0
        for value in values {
            switch value {
            case .null: size += 1
            case .integer, .number, .amount: size += 9
            case .text(let s): size += 5 + s.utf8.count
            case .slice(let slice): size += 5 + slice.ranges.reduce(slice.ranges.count) { $0 + $1.count }
            case .date: size += 15
            case .list: size += 64
            }
        }
        return size
    }

    /// The encoding, written into one growing array.
    private struct Writer {
        var bytes: [UInt8] = []

        mutating func append(_ value: Value) {
            switch value {
            case .null: bytes.append(0)
            case .integer(let n): bytes.append(1); word(UInt64(bitPattern: Int64(n)))
            case .number(let x), .amount(let x, _):
                if x.isFinite { bytes.append(2); word(x.bitPattern) } else { bytes.append(0) }
            case .text(var s): s.withUTF8 { text($0) }
            case .slice(let slice): slice.issue.text.withUnsafeBufferPointer { self.slice(slice, in: $0) }
            case .date(let d): date(d)
            case .list: var s = JSON.value(value); s.withUTF8 { text($0) }
            }
        }

        /// A slice's pieces with its separator between them, `text` being its issue's bytes.
        mutating func slice(_ slice: TextSlice, in text: UnsafeBufferPointer<UInt8>) {
            bytes.append(3)
            let at = bytes.count
            bytes += [0, 0, 0, 0]
            for (i, range) in slice.ranges.enumerated() {
                if i > 0 { bytes.append(slice.separator) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[range.lower..<range.upper]))
            }
            let length = UInt32(bytes.count - at - 4)
            for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: length >> (8 * k)) }
        }

        /// A date as text (`ExportBytes.date`: no String made).
        mutating func date(_ d: BulletinDate) {
            bytes.append(3)
            let at = bytes.count
            bytes += [0, 0, 0, 0]
            ExportBytes.date(d, to: &bytes)
            let length = UInt32(bytes.count - at - 4)
            for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: length >> (8 * k)) }
        }

        mutating func text(_ p: UnsafeBufferPointer<UInt8>) {
            bytes.append(3)
            let length = UInt32(p.count)
            for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * k))) }
            bytes.append(contentsOf: p)
        }

        private mutating func word(_ w: UInt64) {
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: w >> (8 * k))) }
        }
    }
}

/// Walks a `CellBuffer`, binding one cell at a time.
struct CellReader {
    let p: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    var atEnd: Bool { at >= p.count }

    private mutating func word(_ bytes: Int) -> UInt64 {
        var w: UInt64 = 0
        for k in 0..<bytes { w |= UInt64(p[at + k]) << (8 * k) }
        at += bytes
        return w
    }

    /// Binds the next cell to parameter `index`; SQLite's result code.
    mutating func bindNext(_ insert: OpaquePointer, _ index: Int32) -> Int32 {
        let tag = p[at]
        at += 1
        switch tag {
        case 1: return jb_stmt_bind_int(insert, index, Int64(bitPattern: word(8)))
        case 2: return jb_stmt_bind_double(insert, index, Double(bitPattern: word(8)))
        case 3:
            let length = Int(word(4))
            defer { at += length }
            return jb_stmt_bind_text_static(insert, index, p.baseAddress! + at, Int64(length))
        default: return jb_stmt_bind_null(insert, index)
        }
    }
}
