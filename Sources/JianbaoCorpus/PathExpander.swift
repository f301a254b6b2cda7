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
    ///
    /// The shown path and the id are made from the bytes when asked for: a warm load takes
    /// almost every file from the snapshot, which knows both, so a walk of ten thousand files
    /// makes no `String` per file (docs/BENCHMARKS.md "Warm one-shot runs").
    struct File: Sendable, Equatable {
        /// The path as the operating system takes it (no NUL).
        var bytes: [UInt8]
        /// The path shown for the folder that was named (or for the file itself, when it was).
        var shownRoot: String
        /// Where the part below the named folder starts in `bytes`; `bytes.count` for a file
        /// that was named itself.
        var relativeStart: Int
        /// What `stat` said when the file was listed: a snapshot's entry for it is used only
        /// while the file still matches (docs/SNAPSHOT.md).
        var stamp = FileStamp()

        /// The path for messages, invalid UTF-8 shown as U+FFFD.
        var path: String {
            guard relativeStart < bytes.count else { return shownRoot }
            let relative = PathExpander.text(bytes[relativeStart...])
            return shownRoot.hasSuffix("/") ? shownRoot + relative : shownRoot + "/" + relative
        }

        /// The issue id: the file name without its bulletin extension.
        var id: String { PathExpander.issueID(fileName: PathExpander.baseName(bytes)) }
    }

    /// How deep folders may nest before the walk gives up on a branch.
    static let maxDepth = 64

    /// Whether entries are stat'ed on all cores (`JIANBAO_SERIAL_LOAD=1` says not).
    var parallel = true
    private(set) var files: [File] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Folders already walked, by (device, inode), with the path they were first reached by.
    private var visitedFolders: [FileIdentity: String] = [:]
    /// Files already listed, by (device, inode): where in `listed` the first one found is.
    private var listedFiles: [FileIdentity: Int] = [:]
    private var listed: [File] = []

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
            var found: [File] = []
            let key = FileIdentity(st)
            if let first = visitedFolders[key] {
                diagnostics.append(Diagnostic(.warning, file: shown, "same folder as \(first); read once"))
                return
            }
            visitedFolders[key] = shown
            var ancestors: Set<FileIdentity> = [key]
            let root = Root(shown: shown, relativeStart: path.last == UInt8(ascii: "/") ? path.count : path.count + 1)
            walk(folder: path, root: root, depth: 0, ancestors: &ancestors, into: &found)
            if found.isEmpty {
                diagnostics.append(Diagnostic(.error, file: shown, "no bulletin files (.txt, .docx, .pdf, .html) in this folder"))
            }
            // In byte order of the path below the folder: every path found starts with the
            // folder's, so the whole paths sort the same way.
            found.sort { Self.precedes($0.bytes, $1.bytes) }
            files += found
        } else {
            let file = File(bytes: path, shownRoot: shown, relativeStart: path.count, stamp: FileStamp(st))
            if list(FileIdentity(st), file) { files.append(file) }
        }
    }

    /// The folder a walk started from: its path as shown, and where paths below it start.
    private struct Root {
        var shown: String
        var relativeStart: Int

        /// The shown path of `bytes`, a path below the folder.
        func shown(_ bytes: [UInt8]) -> String {
            File(bytes: bytes, shownRoot: shown, relativeStart: relativeStart).path
        }
    }

    /// Whether a file is new; a file reached again (a second link, a folder named twice) gets
    /// a note naming where it was first found.
    private mutating func list(_ key: FileIdentity, _ file: File) -> Bool {
        if let first = listedFiles[key] {
            diagnostics.append(Diagnostic(.warning, file: file.path, "same file as \(listed[first].path); loaded once"))
            return false
        }
        listedFiles[key] = listed.count
        listed.append(file)
        return true
    }

    private mutating func walk(folder: [UInt8], root: Root, depth: Int,
                               ancestors: inout Set<FileIdentity>, into found: inout [File]) {
        guard let dir = Self.openFolder(folder) else {
            diagnostics.append(Diagnostic(.error, file: folder.count < root.relativeStart ? root.shown : root.shown(folder),
                                          "cannot open folder: \(errnoText())"))
            return
        }
        defer { closedir(dir) }
        // The names one after another, each with its NUL, so that each is stat'ed relative to
        // the open folder as it is (no path is looked up from the root again), and sorted as
        // C strings (byte order; a name that is the start of another comes first).
        var flat: [UInt8] = []
        var starts: [Int] = []
        while let entry = readdir(dir) {
            withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) { p in
                    guard p[0] != UInt8(ascii: ".") else { return }
                    starts.append(flat.count)
                    flat.append(contentsOf: UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)) + 1))
                }
            }
        }
        let folderFD = dirfd(dir)
        // Sorted so that which of two links to one file is kept does not depend on readdir.
        flat.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { c in starts.sort { strcmp(c.baseAddress! + $0, c.baseAddress! + $1) < 0 } }
        }
        // Room for them all, growing geometrically (folder after folder).
        if listed.capacity < listed.count + starts.count {
            let room = max(2 * listed.capacity, listed.count + starts.count)
            listed.reserveCapacity(room)
            listedFiles.reserveCapacity(room)
        }
        if found.capacity < found.count + starts.count { found.reserveCapacity(max(2 * found.capacity, found.count + starts.count)) }
        // Every entry stat'ed first, on all cores: ten thousand stat calls are most of a walk
        // (and of a warm one-shot run's system time).
        let names = flat, order = starts
        let stats = Parallel.map(order.count, parallel: parallel && order.count >= 64) { k -> (Int32, Int32, stat) in
            var st = stat()
            let rc = names.withUnsafeBufferPointer { p in
                fstatat(folderFD, UnsafeRawPointer(p.baseAddress! + order[k]).assumingMemoryBound(to: CChar.self), &st, 0)
            }
            return (rc, rc == 0 ? 0 : errno, st)
        }
        let separated = folder.last == UInt8(ascii: "/") ? folder : folder + [UInt8(ascii: "/")]
        for (k, start) in starts.enumerated() {
            let (full, isText) = flat.withUnsafeBufferPointer { p in
                let name = UnsafeBufferPointer(start: p.baseAddress! + start, count: strlen(UnsafeRawPointer(p.baseAddress! + start).assumingMemoryBound(to: CChar.self)))
                let full = [UInt8](unsafeUninitializedCapacity: separated.count + name.count) { out, made in
                    _ = UnsafeMutableBufferPointer(rebasing: out[..<separated.count]).initialize(from: separated)
                    _ = UnsafeMutableBufferPointer(rebasing: out[separated.count...]).initialize(from: name)
                    made = separated.count + name.count
                }
                return (full, Self.isBulletin(name))
            }
            var (statted, code, st) = stats[k]
            // A path too long for the system is stat'ed whole, to fail as it would be read.
            if full.count >= PATH_MAX {
                statted = Self.statBytes(full, &st)
                code = errno
            }
            guard statted == 0 else {
                var lst = stat()
                if Self.lstatBytes(full, &lst) == 0, lst.st_mode & S_IFMT == S_IFLNK {
                    // A dangling link or a loop: report it only where it would have counted.
                    if code == ELOOP || isText {
                        diagnostics.append(Diagnostic(.error, file: root.shown(full), code == ELOOP ? "symbolic link loop" : "broken symbolic link"))
                    }
                } else {
                    diagnostics.append(Diagnostic(.error, file: root.shown(full), String(cString: strerror(code)).lowercased()))
                }
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                let key = FileIdentity(st)
                if ancestors.contains(key) {
                    diagnostics.append(Diagnostic(.error, file: root.shown(full), "symbolic link loop (folder contains itself); not followed"))
                    continue
                }
                // A folder reached by a second path was walked already: its files are listed.
                if let first = visitedFolders[key] {
                    diagnostics.append(Diagnostic(.warning, file: root.shown(full), "same folder as \(first); read once"))
                    continue
                }
                visitedFolders[key] = root.shown(full)
                if depth >= Self.maxDepth {
                    diagnostics.append(Diagnostic(.error, file: root.shown(full), "folders nested deeper than \(Self.maxDepth); not followed"))
                    continue
                }
                ancestors.insert(key)
                walk(folder: full, root: root, depth: depth + 1, ancestors: &ancestors, into: &found)
                ancestors.remove(key)
            } else if isText {
                let file = File(bytes: full, shownRoot: root.shown, relativeStart: root.relativeStart, stamp: FileStamp(st))
                if list(FileIdentity(st), file) { found.append(file) }
            }
        }
    }

    /// Whether `a` comes before `b` in byte order (as `lexicographicallyPrecedes`, by memcmp).
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { p in
            b.withUnsafeBufferPointer { q in
                let n = min(p.count, q.count)
                let c = n == 0 ? 0 : memcmp(p.baseAddress!, q.baseAddress!, n)
                return c != 0 ? c < 0 : p.count < q.count
            }
        }
    }

    /// The extensions a folder is searched for, lowercase (`.TXT` and `.Docx` count too).
    static let extensions = [".txt", ".docx", ".pdf", ".html", ".htm"]

    /// Whether a file found in a folder is a bulletin file, by its name's bytes (the extensions
    /// are ASCII, compared without case); `~$x.docx` is Word's lock file.
    static func isBulletin(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        extensionLength(name) != nil && !(name.count >= 2 && name[0] == UInt8(ascii: "~") && name[1] == UInt8(ascii: "$"))
    }

    private static let extensionBytes = extensions.map { Array($0.utf8) }

    /// The length of the bulletin extension `name` ends with (any case), or nil.
    private static func extensionLength(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        for ext in extensionBytes where name.count >= ext.count {
            let from = name.count - ext.count
            var k = 0
            while k < ext.count {
                let b = name[from + k]
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != ext[k] { break }
                k += 1
            }
            if k == ext.count { return ext.count }
        }
        return nil
    }

    /// The file name without a final bulletin extension (`.txt`, `.docx`, `.pdf`, `.html`, `.htm`).
    static func issueID(fileName: String) -> String { issueID(fileName: Array(fileName.utf8)) }

    /// `issueID` of a name's bytes (invalid UTF-8 shown as U+FFFD).
    static func issueID(fileName: [UInt8]) -> String {
        if let n = fileName.withUnsafeBufferPointer(extensionLength), fileName.count > n { return text(fileName.dropLast(n)) }
        return text(fileName)
    }

    /// A path's bytes as text for messages and ids: invalid UTF-8 becomes U+FFFD.
    static func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { String(decoding: bytes, as: UTF8.self) }

    static func baseName(_ path: [UInt8]) -> [UInt8] {
        var end = path.count
        while end > 1, path[end - 1] == UInt8(ascii: "/") { end -= 1 }
        var start = end
        while start > 0, path[start - 1] != UInt8(ascii: "/") { start -= 1 }
        // "/" alone (or "//"): the name is the path itself, as before.
        if start == end { return Array(path[..<end]) }
        return Array(path[start..<end])
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
