import JianbaoCorpus

/// `--safe` and `.safe on` (like sqlite3's `-safe`): for running a `.jbq` script from
/// someone else. Everything that runs a command, writes a file or reads outside the corpus
/// and the script's own folder is refused with an error naming the command; statements,
/// `--check` and the other meta commands work as usual. Once on it stays on for the run.
extension Session {
    /// Why `.name args` is refused in safe mode, or nil when it may run.
    func safeModeRefusal(_ name: String, _ args: [String]) -> String? {
        guard safe else { return nil }
        switch name {
        case "output":
            if args.isEmpty || args[0] == "off" || args[0] == "stdout" { return nil }
            return args[0].hasPrefix("|") ? ".output to a command" : ".output to a file"
        case "once":
            return args.first?.hasPrefix("|") == true ? ".once to a command" : ".once to a file"
        case "load":
            return ".load"
        case "export":
            return ".export"
        case "cache":
            // Reading and writing snapshots is not output a script chooses; removing them is.
            return args.isEmpty ? nil : ".cache clear"
        case "read":
            guard let path = args.first else { return nil }
            return isReadableInSafeMode(path) ? nil : ".read of \(path) (outside the corpus and the script's folder)"
        default:
            return nil
        }
    }

    /// Whether a script lies inside a corpus path or the folder of a script being run.
    func isReadableInSafeMode(_ path: String) -> Bool {
        guard path != "-", let real = realPath(path) else { return false }
        let scriptFolders = readStack.compactMap { entry -> String? in
            guard entry.key != "-", let slash = entry.key.lastIndex(of: "/") else { return nil }
            return String(entry.key[..<slash])
        }
        let roots = scriptFolders + (corpusPaths ?? []).compactMap(realPath)
        return roots.contains { root in real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}
