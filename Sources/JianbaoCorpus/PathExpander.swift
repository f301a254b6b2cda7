#if canImport(Glibc)
import Glibc
#endif

/// Turns the corpus paths a user names into the list of files to read (FORMAT.md "Files
/// and issues"): a file is one issue; a folder is every bulletin file below it (`.txt`,
/// `.docx`, `.pdf`, `.html`, `.htm`), recursively, in byte order of the relative path, hidden
/// entries and Word's lock files (`~$…`) skipped.
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
                diagnostics.append(Diagnostic(.error, file: path, "no bulletin files (.txt, .docx, .pdf, .html) in this folder"))
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
                    if errno == ELOOP || Self.isBulletin(name) {
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
            } else if Self.isBulletin(name) {
                found.append((Array(rel.utf8), File(path: full, id: Self.issueID(fileName: name))))
            }
        }
    }

    /// The extensions a folder is searched for, lowercase (`.TXT` and `.Docx` count too).
    static let extensions = [".txt", ".docx", ".pdf", ".html", ".htm"]

    /// Whether a file found in a folder is a bulletin file; `~$x.docx` is Word's lock file.
    static func isBulletin(_ name: String) -> Bool {
        let lower = name.lowercased()
        return extensions.contains { lower.hasSuffix($0) } && !name.hasPrefix("~$")
    }

    /// The file name without a final bulletin extension (`.txt`, `.docx`, `.pdf`, `.html`, `.htm`).
    static func issueID(fileName: String) -> String {
        let lower = fileName.lowercased()
        for ext in extensions where lower.hasSuffix(ext) && fileName.utf8.count > ext.utf8.count {
            return String(decoding: fileName.utf8.dropLast(ext.utf8.count), as: UTF8.self)
        }
        return fileName
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
