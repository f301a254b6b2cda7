import CBytes
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
    /// The margin a load keeps free for its diagnostics, the indexes and the first statements:
    /// files past it are skipped.
    public static let loadMargin = 16 << 20

    /// Under an address-space limit (`ulimit -v`), one malloc arena for all threads. Each
    /// further arena reserves 64 MiB of address space at a time (128 MiB while aligning it),
    /// so a worker thread's small allocation failed while large ones still succeeded and no
    /// check could foresee it. Without a limit nothing changes.
    public static func adaptToAddressSpaceLimit() {
        guard isLimited else { return }
        jb_malloc_single_arena()
    }

    /// The machine's memory in bytes (Int.max when it cannot be read).
    static let physicalMemory: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return .max }
        return pages.multipliedReportingOverflow(by: size).overflow ? .max : pages * size
    }()

    /// Whether the process runs under an address-space limit: only then can malloc refuse
    /// (without one Linux overcommits and the kernel's OOM killer decides instead).
    public static let isLimited: Bool = {
        var limit = rlimit()
        return getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
    }()

    /// For long work on all cores (the first segmentation, figure extraction, kwic's batches),
    /// asked between items: under a limit, when the next item's `bytes` and one more batch of
    /// work would not fit, stops the statement (`Cancellation.stopForMemory`) and answers
    /// false. Free without a limit.
    public static func enoughForMoreWork(_ bytes: Int = 0) -> Bool {
        guard isLimited else { return true }
        if available(bytes) { return true }
        Cancellation.stopForMemory()
        return false
    }

    /// Whether `bytes` (plus a margin) could be allocated now.
    ///
    /// Without an address-space limit malloc is not asked: it does not refuse then (Linux
    /// overcommits) short of more than the machine's memory, and asking costs an mmap and
    /// munmap whose TLB shootdowns on every core made the 10,000-file load 20% slower once
    /// the probe really ran. More than the physical memory is still a no.
    public static func available(_ bytes: Int = 0, margin: Int = margin) -> Bool {
        let (total, overflow) = bytes.addingReportingOverflow(margin)
        guard isLimited else { return !overflow && total <= physicalMemory }
        guard !overflow, total >= 0 else { return false }
        return jb_can_allocate(total) != 0
    }
}
