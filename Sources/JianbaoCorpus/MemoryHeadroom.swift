#if canImport(Glibc)
import Glibc
#endif

/// Whether memory can still be had, asked of malloc before Swift allocates.
///
/// Swift ends the process when an allocation fails (SIGABRT), so under `ulimit -v` or on a
/// machine without swap a large load or result used to kill the session. Where the big buffers
/// grow (a file read whole, rows kept for `order by` or an aligned table), the program first
/// asks malloc for the room it is about to need plus a margin; a refusal becomes a clear error
/// (`out of memory`) and the session goes on. Asking costs one mmap and munmap of untouched
/// pages. Without a limit Linux overcommits and the answer is always yes.
public enum MemoryHeadroom {
    /// The margin asked for beyond a known need: what one more batch of work may take.
    public static let margin = 64 << 20

    /// Whether `bytes` (plus the margin) could be allocated now.
    public static func available(_ bytes: Int = 0) -> Bool {
        let (total, overflow) = bytes.addingReportingOverflow(margin)
        guard !overflow, let probe = malloc(total) else { return false }
        free(probe)
        return true
    }
}
