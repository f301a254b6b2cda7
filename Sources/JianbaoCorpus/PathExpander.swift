#if canImport(Glibc)
import Glibc
#endif

/// Turns the corpus paths a user names into the list of files to read (FORMAT.md "Files
/// and issues"): a file is one issue; a folder is every bulletin file below it (`.txt`,
/// `.docx`, `.pdf`, `.html`, `.htm`), recursively, in byte order of the relative path, hidden
/// entries and Word's lock files (`~$…`) skipped.
///
/// Paths are bytes: a name that is not UTF-8 (GBK names from a zip made on Windows) is opened
/// as it is on disk and only shown with U+FFFD. Every folder and file is visited once by
/// (device, inode), so links that reach one place twice (a "diamond" of symbolic links, 2ⁿ
/// paths to one file) cost one visit, not millions.
struct PathExpander {
    /// One file to read: its path as bytes on disk, the path shown to the user and the issue id.
    struct File: Sendable, Equatable {
        /// The path as the operating system takes it (no NUL).
        var bytes: [UInt8]
        /// The path for messages, invalid UTF-8 shown as U+FFFD.
        var path: String
        var id: String
        /// What `stat` said when the file was listed: a snapshot's entry for it is used only
        /// while the file still matches (docs/SNAPSHOT.md).
        var stamp = FileStamp()
    }

    /// How deep folders may nest before the walk gives up on a branch.
    static let maxDepth = 64

    private(set) var files: [File] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Folders already walked and files already listed, by (device, inode), with the path
    /// they were first reached by.
    private var visitedFolders: [FileIdentity: String] = [:]
    private var listedFiles: [FileIdentity: String] = [:]

    mutating func add(_ path: String) {
        add(bytes: CommandLineBytes.original(of: path), shown: path)
    }

    mutating func add(bytes path: [UInt8], shown: String) {
        var st = stat()
        guard Self.statBytes(path, &st) == 0 else {
            let reason = errno == ELOOP ? "symbolic link loop" : errno == ENOENT ? "no such file or folder" : errnoText()
            diagnostics.append(Diagnostic(.error, file: shown, reason))
            return
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            var found: [(key: [UInt8], file: File)] = []
            let key = FileIdentity(st)
            if let first = visitedFolders[key] {
                diagnostics.append(Diagnostic(.warning, file: shown, "same folder as \(first); read once"))
                return
            }
            visitedFolders[key] = shown
            var ancestors: Set<FileIdentity> = [key]
            walk(folder: path, shown: shown, relative: [], depth: 0, ancestors: &ancestors, into: &found)
            if found.isEmpty {
                diagnostics.append(Diagnostic(.error, file: shown, "no bulletin files (.txt, .docx, .pdf, .html) in this folder"))
            }
            found.sort { $0.key.lexicographicallyPrecedes($1.key) }
            files += found.map(\.file)
        } else if list(FileIdentity(st), shown) {
            files.append(File(bytes: path, path: shown, id: Self.issueID(fileName: Self.text(Self.baseName(path))), stamp: FileStamp(st)))
        }
    }

    /// Whether a file is new; a file reached again (a second link, a folder named twice) gets
    /// a note naming where it was first found.
    private mutating func list(_ key: FileIdentity, _ shown: String) -> Bool {
        if let first = listedFiles[key] {
            diagnostics.append(Diagnostic(.warning, file: shown, "same file as \(first); loaded once"))
            return false
        }
        listedFiles[key] = shown
        return true
    }

    private mutating func walk(folder: [UInt8], shown: String, relative: [UInt8], depth: Int,
                               ancestors: inout Set<FileIdentity>, into found: inout [(key: [UInt8], file: File)]) {
        guard let dir = Self.openFolder(folder) else {
            diagnostics.append(Diagnostic(.error, file: shown, "cannot open folder: \(errnoText())"))
            return
        }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) { Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)))) }
            }
            if name.first == UInt8(ascii: ".") { continue }
            names.append(name)
        }
        closedir(dir)
        // Sorted so that which of two links to one file is kept does not depend on readdir.
        names.sort { $0.lexicographicallyPrecedes($1) }
        for name in names {
            let full = folder.last == UInt8(ascii: "/") ? folder + name : folder + [UInt8(ascii: "/")] + name
            let fullShown = shown.hasSuffix("/") ? shown + Self.text(name) : shown + "/" + Self.text(name)
            let rel = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
            let isText = Self.isBulletin(Self.text(name))
            var st = stat()
            guard Self.statBytes(full, &st) == 0 else {
                let code = errno
                var lst = stat()
                if Self.lstatBytes(full, &lst) == 0, lst.st_mode & S_IFMT == S_IFLNK {
                    // A dangling link or a loop: report it only where it would have counted.
                    if code == ELOOP || isText {
                        diagnostics.append(Diagnostic(.error, file: fullShown, code == ELOOP ? "symbolic link loop" : "broken symbolic link"))
                    }
                } else {
                    diagnostics.append(Diagnostic(.error, file: fullShown, String(cString: strerror(code)).lowercased()))
                }
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                let key = FileIdentity(st)
                if ancestors.contains(key) {
                    diagnostics.append(Diagnostic(.error, file: fullShown, "symbolic link loop (folder contains itself); not followed"))
                    continue
                }
                // A folder reached by a second path was walked already: its files are listed.
                if let first = visitedFolders[key] {
                    diagnostics.append(Diagnostic(.warning, file: fullShown, "same folder as \(first); read once"))
                    continue
                }
                visitedFolders[key] = fullShown
                if depth >= Self.maxDepth {
                    diagnostics.append(Diagnostic(.error, file: fullShown, "folders nested deeper than \(Self.maxDepth); not followed"))
                    continue
                }
                ancestors.insert(key)
                walk(folder: full, shown: fullShown, relative: rel, depth: depth + 1, ancestors: &ancestors, into: &found)
                ancestors.remove(key)
            } else if isText, list(FileIdentity(st), fullShown) {
                found.append((rel, File(bytes: full, path: fullShown, id: Self.issueID(fileName: Self.text(name)), stamp: FileStamp(st))))
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

    /// A path's bytes as text for messages and ids: invalid UTF-8 becomes U+FFFD.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func baseName(_ path: [UInt8]) -> [UInt8] {
        var trimmed = path[...]
        while trimmed.count > 1, trimmed.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        return Array(trimmed.split(separator: UInt8(ascii: "/")).last ?? trimmed)
    }

    static func statBytes(_ path: [UInt8], _ st: inout stat) -> Int32 {
        FileReader.withCPath(path) { stat($0, &st) }
    }

    static func lstatBytes(_ path: [UInt8], _ st: inout stat) -> Int32 {
        FileReader.withCPath(path) { lstat($0, &st) }
    }

    static func openFolder(_ path: [UInt8]) -> OpaquePointer? {
        FileReader.withCPath(path) { Glibc.opendir($0) }
    }
}

/// A file or folder across links and names: (device, inode). Folders visited, files loaded,
/// and the files an output must not overwrite are told apart by it.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of what `path` names (following links), or nil when it does not exist.
    public init?(path: String) {
        var st = stat()
        guard PathExpander.statBytes(Array(path.utf8), &st) == 0 else { return nil }
        self.init(st)
    }
}

/// A file's size, times and (device, inode) from `stat`: when any of them differs, the file
/// may have changed and is read again rather than taken from a snapshot. The change time is
/// kept too: a tool can set a file's modification time back, not its change time.
public struct FileStamp: Hashable, Sendable {
    public var size: Int64 = -1
    public var mtime: Int64 = 0
    public var mtimeNanoseconds: Int64 = 0
    public var ctime: Int64 = 0
    public var ctimeNanoseconds: Int64 = 0
    public var device: UInt64 = 0
    public var inode: UInt64 = 0

    public init() {}

    public init(_ st: stat) {
        size = Int64(st.st_size)
        mtime = Int64(st.st_mtim.tv_sec)
        mtimeNanoseconds = Int64(st.st_mtim.tv_nsec)
        ctime = Int64(st.st_ctim.tv_sec)
        ctimeNanoseconds = Int64(st.st_ctim.tv_nsec)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// Whether this names a file seen by `stat` (not the empty default).
    public var isKnown: Bool { size >= 0 }
}

/// The program's arguments as the bytes they were given as. Swift decodes arguments as UTF-8
/// and replaces what is not (a GBK file name) with U+FFFD, which names no file: a path that
/// came from the command line is opened by its original bytes.
public enum CommandLineBytes {
    /// The original bytes of the argument that decodes to `path`, else `path`'s UTF-8.
    public static func original(of path: String) -> [UInt8] {
        guard path.contains("\u{FFFD}") else { return Array(path.utf8) }
        for i in 0..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[i] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: strlen(argument)))
            if String(decoding: bytes, as: UTF8.self) == path { return bytes }
        }
        return Array(path.utf8)
    }
}

func errnoText() -> String {
    String(cString: strerror(errno)).lowercased()
}
