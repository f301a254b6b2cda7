import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// Where snapshots live and which build made them (docs/SNAPSHOT.md): one file per corpus
/// root in `$XDG_CACHE_HOME/jianbao/` (else `~/.cache/jianbao/`).
public final class SnapshotCache: @unchecked Sendable {
    /// The folder of the snapshots.
    public let directory: String
    /// The program's version and the identity of its executable: a rebuilt program may read
    /// files differently, so it never trusts what another build wrote.
    public let version: String
    private var mutex = pthread_mutex_t()
    private var warnedUnwritable = false
    private var sweptTemporaries = false

    public init(directory: String, version: String) {
        self.directory = directory
        self.version = version + " " + Self.executableIdentity()
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The cache the environment names, or nil with `JIANBAO_NO_CACHE=1` or when neither
    /// `XDG_CACHE_HOME` nor `HOME` says where it would be.
    public static func fromEnvironment(version: String) -> SnapshotCache? {
        if let off = getenv("JIANBAO_NO_CACHE"), String(cString: off) == "1" { return nil }
        guard let folder = defaultDirectory() else { return nil }
        return SnapshotCache(directory: folder, version: version)
    }

    /// `$XDG_CACHE_HOME/jianbao` when that is an absolute path, else `$HOME/.cache/jianbao`.
    public static func defaultDirectory() -> String? {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return xdg.hasSuffix("/") ? xdg + "jianbao" : xdg + "/jianbao"
        }
        if let home = getenv("HOME").map({ String(cString: $0) }), home.hasPrefix("/") {
            return (home.hasSuffix("/") ? home : home + "/") + ".cache/jianbao"
        }
        return nil
    }

    /// Size and times of the running executable: part of `version`.
    static func executableIdentity() -> String {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return "" }
        return "exe \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ino)"
    }

    /// The corpus root of a load: every named path made absolute with links resolved, with
    /// the encoding named for it. Two loads of one root share a snapshot.
    public static func root(paths: [String], encodings: [String: String]) -> String {
        paths.map { path -> String in
            let bytes = CommandLineBytes.original(of: path)
            let resolved = FileReader.withCPath(bytes) { p -> String? in
                guard let r = realpath(p, nil) else { return nil }
                defer { free(r) }
                return String(decoding: UnsafeRawBufferPointer(start: r, count: strlen(r)), as: UTF8.self)
            }
            let named = resolved ?? path
            return encodings[path].map { named + " (encoding \($0))" } ?? named
        }.joined(separator: "\n")
    }

    /// The snapshot file of a root: a hash of the root names it.
    public func path(forRoot root: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in root.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hex = String(h, radix: 16)
        return directory + "/corpus-" + String(repeating: "0", count: 16 - hex.count) + hex + ".snapshot"
    }

    /// The file of the figures kept beside a snapshot.
    func figuresPath(forRoot root: String) -> String {
        String(path(forRoot: root).dropLast(".snapshot".count)) + ".figures"
    }

    /// Makes the folder if need be; the reason when it cannot be made.
    func makeDirectory() -> String? {
        var at = ""
        for part in directory.split(separator: "/") {
            at += "/" + part
            if mkdir(at, 0o700) != 0 && errno != EEXIST { return "cannot make \(at): \(errnoText())" }
        }
        return nil
    }

    /// Writes `entries` as the snapshot of `root`: a temporary file in the folder, renamed
    /// over the old one, so a reader sees the old snapshot or the new one, never half of
    /// one, and two writers at once each put a whole file in place. The reason on failure.
    func write(_ entries: [SnapshotEntry], root: String, generation: UInt64) -> String? {
        if let reason = makeDirectory() { return reason }
        return replace(path(forRoot: root)) { fd in
            SnapshotWriter.write(entries, root: root, version: version, generation: generation, to: fd)
        }
    }

    /// Puts `parts` in place as the file `target`, atomically; the reason on failure.
    func replace(_ target: String, with parts: [[UInt8]]) -> String? {
        // The snapshot that makes the folder may still be being written (in the background).
        if let reason = makeDirectory() { return reason }
        return replace(target) { fd in
            for part in parts {
                var done = 0
                while done < part.count {
                    let n = part.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    done += n
                }
            }
            return true
        }
    }

    /// Writes a temporary file beside `target` with `body` and renames it over `target`.
    /// A signal that ends the program meanwhile (SIGTERM, SIGHUP, and SIGINT or SIGQUIT where
    /// nothing else handles them) removes the temporary file; one left by a process that was
    /// killed outright is removed by a later write (`sweepTemporaries`).
    func replace(_ target: String, _ body: (Int32) -> Bool) -> String? {
        sweepTemporaries()
        let temporary = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        jb_pending_files_watch_signals()
        let slot = jb_pending_file_add(temporary, "")
        defer { jb_pending_file_remove(slot) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "cannot write in \(directory): \(errnoText())" }
        let ok = body(fd)
        let reason = ok ? nil : errnoText()
        guard close(fd) == 0, ok else {
            unlink(temporary)
            return "cannot write \(temporary): \(reason ?? errnoText())"
        }
        guard rename(temporary, target) == 0 else {
            let why = errnoText()
            unlink(temporary)
            return "cannot rename \(temporary): \(why)"
        }
        return nil
    }

    /// Removes, once per run, the temporary files in the folder that a process ended by
    /// SIGKILL or a crash left: those of a process that no longer exists, last written over
    /// an hour ago (a writer in another PID namespace sharing the folder looks gone, but does
    /// not leave its file untouched for an hour).
    func sweepTemporaries() {
        pthread_mutex_lock(&mutex)
        let swept = sweptTemporaries
        sweptTemporaries = true
        pthread_mutex_unlock(&mutex)
        guard !swept else { return }
        let hourAgo = time(nil) - 3600
        for name in ourNames() {
            guard let pid = Self.writer(ofTemporary: name) else { continue }
            let path = directory + "/" + name
            var st = stat()
            guard kill(pid, 0) != 0, errno == ESRCH, stat(path, &st) == 0, st.st_mtim.tv_sec < hourAgo else { continue }
            unlink(path)
        }
    }

    /// The process id in a temporary file's name (`….tmp-<pid>-<random>`).
    static func writer(ofTemporary name: String) -> pid_t? {
        guard let marker = name.firstRange(of: ".tmp-") else { return nil }
        let rest = name[marker.upperBound...]
        guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { return nil }
        return pid
    }

    /// The one warning about an unwritable cache a run gives; nil after the first.
    func unwritableWarning(_ reason: String) -> String? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if warnedUnwritable { return nil }
        warnedUnwritable = true
        return "cannot write the corpus cache (\(reason)); running without it"
    }

    /// One snapshot file as `.cache` shows it.
    public struct Listing: Sendable {
        public var path: String
        public var bytes: Int
        /// The corpus root it is for; nil when the file is damaged or from another build.
        public var root: String?
        public var files: Int
        public var issues: Int
        public var textBytes: Int
        /// Figures or word statistics kept beside a snapshot (`.figures`, `.words`), not a snapshot.
        public var isFigures = false
    }

    /// The snapshot files in the folder, by name.
    public func list() -> [Listing] {
        ourNames().sorted().map { name in
            let path = directory + "/" + name
            var st = stat()
            let bytes = stat(path, &st) == 0 ? Int(st.st_size) : 0
            if name.hasSuffix(".snapshot"), case .success(let reader)? = SnapshotReader.open(path, version: version) {
                return Listing(path: path, bytes: bytes, root: reader.root, files: reader.entryCount,
                               issues: reader.issueCount, textBytes: reader.textBytes)
            }
            return Listing(path: path, bytes: bytes, root: nil, files: 0, issues: 0, textBytes: 0, isFigures: name.hasSuffix(".figures") || name.hasSuffix(".words"))
        }
    }

    /// Removes every snapshot (and left-over temporary file) in the folder: how many, and
    /// the first failure.
    public func clear() -> (removed: Int, bytes: Int, failure: String?) {
        var removed = 0, bytes = 0
        var failure: String?
        for listing in list() {
            if unlink(listing.path) == 0 {
                removed += 1
                bytes += listing.bytes
            } else if failure == nil {
                failure = "cannot remove \(listing.path): \(errnoText())"
            }
        }
        return (removed, bytes, failure)
    }

    /// The names of the folder's files that are snapshots, kept figures or words, or
    /// temporary ones being written (`isOurs`), in the folder's order.
    private func ourNames() -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if Self.isOurs(name) { names.append(name) }
        }
        return names
    }

    /// Whether a file name is a snapshot or a temporary one being written.
    static func isOurs(_ name: String) -> Bool {
        name.hasPrefix("corpus-") && (name.hasSuffix(".snapshot") || name.hasSuffix(".figures") || name.hasSuffix(".words")
                                      || name.contains(".snapshot.tmp-") || name.contains(".figures.tmp-") || name.contains(".words.tmp-"))
    }
}
