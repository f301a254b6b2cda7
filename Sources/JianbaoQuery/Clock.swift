#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time for `.timer`, from CLOCK_MONOTONIC.
enum Clock {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Milliseconds since `start` with one decimal: `12.3`.
    static func milliseconds(since start: UInt64) -> String {
        let tenths = (now() - start) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
