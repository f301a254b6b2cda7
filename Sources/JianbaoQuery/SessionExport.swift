import JianbaoCorpus

extension Session {
    /// `.export sqlite PATH [force]` or `.export jsonl DIR [force]`: hands the parsed corpus on
    /// to SQL engines (docs/EXPORT.md). Returns false when the export failed (already reported).
    func export(_ args: [String]) -> Bool {
        let format = args[0].lowercased()
        let path = args[1]
        let force = args.count == 3
        do throws(ExportError) {
            try ExportTarget.checkOutsideCorpus(path, corpusPaths: corpusPaths ?? [])
            // As a statement: a Ctrl-C since the shell read this line stops the export.
            clearMemoryStop()
            let interrupted = Cancellation.onInterrupt.check
            let source = ExportSource(corpus: corpus, isInterrupted: interrupted)
            let summary = format == "sqlite"
                ? try SQLiteExport.write(source, to: path, force: force, isInterrupted: interrupted)
                : try JSONLExport.write(source, to: path, force: force, isInterrupted: interrupted)
            note(summary.text(to: path))
            return true
        } catch {
            note("error: " + error.description)
            markFailed()
            return false
        }
    }

    /// Whether `.export`'s arguments have its shape: a format, a path, and `force` or nothing.
    static func isExportUsage(_ args: [String]) -> Bool {
        (args.count == 2 || (args.count == 3 && args[2].lowercased() == "force"))
            && ["sqlite", "jsonl"].contains(args[0].lowercased())
    }
}
