import JianbaoCorpus
import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// `.export jsonl DIR`: `DIR/<table>.jsonl` for each table, one object per row in the `jsonl`
/// output mode's shape (DuckDB's `read_json` and Spark's `read.json` take it as is).
///
/// Every file is first written under a temporary name in DIR; only when all are complete are
/// they renamed into place, so an interrupted or failed export leaves the old files whole.
enum JSONLExport {
    /// Lists the files an export wrote; its presence makes them replaceable without `force`.
    static let markerName = ".jianbao-export"

    static func write(_ source: ExportSource, to folder: String, force: Bool,
                      isInterrupted: () -> Bool) throws(ExportError) -> ExportSummary {
        let state = ExportTarget.exists(folder)
        if state.exists, !state.isFolder { throw ExportError("cannot export to \(folder): it is a file, not a folder") }
        if !state.exists, mkdir(folder, 0o777) != 0 {
            throw ExportError("cannot create \(folder): \(ExportTarget.reason)")
        }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        let ours = Set(marker(in: base))
        if !force {
            for table in source.tables where !ours.contains(table.name + ".jsonl") {
                if ExportTarget.exists(base + table.name + ".jsonl").exists {
                    throw ExportError("refusing to overwrite \(base)\(table.name).jsonl: Jianbao did not write it (add force to replace it)")
                }
            }
        }
        var written: [(temporary: String, final: String)] = []
        func discard() { for file in written { unlink(file.temporary) } }
        // Until the files are renamed into place, a signal that ends the program removes them.
        var watched: [Int32] = []
        defer { for slot in watched { jb_pending_file_remove(slot) } }
        var summary = ExportSummary()
        do {
            try writeTables(source.tables, base: base, written: &written, watched: &watched, summary: &summary, isInterrupted: isInterrupted)
        } catch {
            discard()
            throw error
        }
        let names = source.tables.map { $0.name + ".jsonl" }
        let markerFile = ExportTarget.temporary(beside: base + markerName)
        written.append((markerFile, base + markerName))
        watched.append(ExportTarget.watch(markerFile, for: base + markerName))
        guard writeWhole(markerFile, names.joined(separator: "\n") + "\n") else {
            discard()
            throw ExportError("cannot write \(base)\(markerName): \(ExportTarget.reason)")
        }
        for file in written where rename(file.temporary, file.final) != 0 {
            let why = ExportTarget.reason
            discard()
            throw ExportError("cannot write \(file.final): \(why)")
        }
        return summary
    }

    /// The files a previous export listed in `folder`'s marker.
    static func marker(in folder: String) -> [String] {
        guard let file = fopen(folder + markerName, "r") else { return [] }
        defer { fclose(file) }
        var names: [String] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&line, &capacity, file) > 0, let line {
            names.append(String(cString: line).trimmingCharacters(in: "\n"))
        }
        free(line)
        return names
    }

    /// Writes each table to a temporary file beside `base/<table>.jsonl`, listed in `written`.
    private static func writeTables(_ tables: [ExportSource.Table], base: String, written: inout [(temporary: String, final: String)],
                                    watched: inout [Int32],
                                    summary: inout ExportSummary, isInterrupted: () -> Bool) throws(ExportError) {
        var file: (fd: Int32, out: Output, path: String)?
        defer { if let file { close(file.fd) } }
        var count = 0
        func failed(_ path: String) -> ExportError { ExportError("cannot write \(path): \(ExportTarget.reason)") }
        let encoders = tables.map { JSONLEncoder(columns: $0.columns.map(\.name)) }
        let finished = try ExportPipeline.run(tables, encode: { t, values in
            // Encoded on the worker: a group's lines as one run of bytes.
            encoders[t].lines(values)
        }, isInterrupted: isInterrupted, begin: { t throws(ExportError) in
            let final = base + tables[t].name + ".jsonl"
            let temporary = ExportTarget.temporary(beside: final)
            written.append((temporary, final))
            watched.append(ExportTarget.watch(temporary, for: final))
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw failed(temporary) }
            file = (fd, Output(fd: fd), temporary)
            count = 0
        }, consume: { part throws(ExportError) in
            guard let file else { return false }
            do { try file.out.write(bytes: part.bytes) } catch { throw failed(file.path) }
            count += part.rows
            return true
        }, end: { t throws(ExportError) in
            guard let open = file else { return }
            file = nil
            defer { close(open.fd) }
            do { try open.out.flush() } catch { throw failed(open.path) }
            guard fsync(open.fd) == 0 || errno == EINVAL else { throw failed(open.path) }
            summary.rows.append((tables[t].name, count))
        })
        if !finished { throw ExportError("interrupted: nothing was written") }
    }

    private static func writeWhole(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count
    }
}
