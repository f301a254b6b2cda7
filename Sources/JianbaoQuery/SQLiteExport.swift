import JianbaoCorpus
import CSQLite
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
        // The file is a temporary one until it is renamed into place: no journal is needed.
        try exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA application_id = \(applicationID); BEGIN")
        var text: [UInt8] = []
        for table in source.tables {
            let columns = table.columns.map { column -> String in
                let key = table.name == "articles" && column.name == "id" ? " PRIMARY KEY" : ""
                return "\"\(column.name)\" \(sqlType(column.type))\(key)"
            }
            try exec("CREATE TABLE \"\(table.name)\" (\(columns.joined(separator: ", ")))")
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            guard let insert = jb_stmt_prepare(db, "INSERT INTO \"\(table.name)\" VALUES (\(marks))") else {
                throw ExportError("sqlite: \(String(cString: jb_db_message(db)))")
            }
            defer { jb_stmt_finalize(insert) }
            var count = 0
            var failure: ExportError?
            let finished: Bool
            do {
                finished = try table.rows { values in
                    var rc: Int32 = 0
                    for (i, value) in values.enumerated() where rc == 0 { rc = bind(insert, Int32(i + 1), value, &text) }
                    if rc != 0 || jb_stmt_step_reset(insert) != 0 {
                        failure = ExportError("sqlite: \(String(cString: jb_db_message(db)))")
                        return false
                    }
                    count += 1
                    return count % 4096 != 0 || !isInterrupted()
                }
            } catch {
                throw ExportError("export failed: \(error)")
            }
            if let failure { throw failure }
            if !finished { throw ExportError("interrupted: nothing was written") }
            for column in table.columns where ExportSource.indexedColumns.contains(column.name) {
                try exec("CREATE INDEX \"\(table.name)_\(column.name)\" ON \"\(table.name)\" (\"\(column.name)\")")
            }
            if table.name == "issues" { try exec("CREATE INDEX issues_id ON issues (id)") }
            summary.rows.append((table.name, count))
        }
        try exec("COMMIT")
    }

    /// Binds one value; text goes to SQLite from the issue's bytes without making a String.
    /// Returns SQLite's result code (SQLITE_TOOBIG for a value over its limit).
    private static func bind(_ insert: OpaquePointer, _ index: Int32, _ value: Value, _ scratch: inout [UInt8]) -> Int32 {
        func text(_ s: String) -> Int32 {
            var s = s
            return s.withUTF8 { p in jb_stmt_bind_text(insert, index, p.baseAddress, Int64(p.count)) }
        }
        switch value {
        case .null: return jb_stmt_bind_null(insert, index)
        case .integer(let n): return jb_stmt_bind_int(insert, index, Int64(n))
        case .number(let x): return x.isFinite ? jb_stmt_bind_double(insert, index, x) : jb_stmt_bind_null(insert, index)
        case .text(let s): return text(s)
        case .slice(let slice):
            scratch.removeAll(keepingCapacity: true)
            slice.forEachPiece { scratch.append(contentsOf: $0) }
            return scratch.withUnsafeBufferPointer { p in jb_stmt_bind_text(insert, index, p.baseAddress, Int64(p.count)) }
        case .date(let d): return text(d.description)
        case .list: return text(JSON.value(value))
        }
    }
}
