#if canImport(Glibc)
import Glibc
#endif

/// Turns the corpus paths a user names into the list of files to read (FORMAT.md "Files
/// and issues"): a file is one issue; a folder is every `*.txt` below it, recursively, in
/// byte order of the relative path, hidden entries skipped.
struct PathExpander {
    /// One file to read: the path shown to the user and the issue id.
    struct File: Sendable, Equatable {
        var path: String
        var id: String
    }

    /// How deep folders may nest before the walk gives up on a branch.
    static let maxDepth = 64

    private(set) var files: [File] = []
    private(set) var diagnostics: [Diagnostic] = []

    mutating func add(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let reason = errno == ELOOP ? "symbolic link loop" : errno == ENOENT ? "no such file or folder" : errnoText()
            diagnostics.append(Diagnostic(.error, file: path, reason))
            return
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            var found: [(key: [UInt8], file: File)] = []
            var ancestors: Set<FileKey> = [FileKey(st)]
            walk(folder: path, relative: "", depth: 0, ancestors: &ancestors, into: &found)
            if found.isEmpty {
                diagnostics.append(Diagnostic(.error, file: path, "no .txt files in this folder"))
            }
            found.sort { $0.key.lexicographicallyPrecedes($1.key) }
            files += found.map(\.file)
        } else {
            files.append(File(path: path, id: Self.issueID(fileName: baseName(path))))
        }
    }

    private mutating func walk(folder: String, relative: String, depth: Int,
                               ancestors: inout Set<FileKey>, into found: inout [(key: [UInt8], file: File)]) {
        guard let dir = opendir(folder) else {
            diagnostics.append(Diagnostic(.error, file: folder, "cannot open folder: \(errnoText())"))
            return
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        for name in names {
            let full = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else {
                var lst = stat()
                if lstat(full, &lst) == 0, lst.st_mode & S_IFMT == S_IFLNK {
                    // A dangling link or a loop: report it only where it would have counted.
                    if errno == ELOOP || name.hasSuffix(".txt") {
                        diagnostics.append(Diagnostic(.error, file: full, errno == ELOOP ? "symbolic link loop" : "broken symbolic link"))
                    }
                } else {
                    diagnostics.append(Diagnostic(.error, file: full, errnoText()))
                }
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                let key = FileKey(st)
                if ancestors.contains(key) {
                    diagnostics.append(Diagnostic(.error, file: full, "symbolic link loop (folder contains itself); not followed"))
                    continue
                }
                if depth >= Self.maxDepth {
                    diagnostics.append(Diagnostic(.error, file: full, "folders nested deeper than \(Self.maxDepth); not followed"))
                    continue
                }
                ancestors.insert(key)
                walk(folder: full, relative: rel, depth: depth + 1, ancestors: &ancestors, into: &found)
                ancestors.remove(key)
            } else if name.hasSuffix(".txt") {
                found.append((Array(rel.utf8), File(path: full, id: Self.issueID(fileName: name))))
            }
        }
    }

    /// The file name without a final `.txt`.
    static func issueID(fileName: String) -> String {
        fileName.hasSuffix(".txt") && fileName.count > 4 ? String(fileName.dropLast(4)) : fileName
    }

    private func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.split(separator: "/").last.map(String.init) ?? String(trimmed)
    }
}

/// Identifies a folder across symbolic links, for loop detection.
private struct FileKey: Hashable {
    var device: UInt64
    var inode: UInt64
    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

func errnoText() -> String {
    String(cString: strerror(errno)).lowercased()
}
