#if canImport(Glibc)
import Glibc
#endif

/// The program's one clock: CLOCK_MONOTONIC, for `.timer`, `.timeout`, load times in the
/// banner and notes, and how long figure extraction took.
public enum Clock {
    /// Nanoseconds since an arbitrary fixed point.
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Milliseconds since `start` with one decimal: `12.3`.
    public static func milliseconds(since start: UInt64) -> String {
        let tenths = (now() - start) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Milliseconds between two readings, as a number.
    public static func milliseconds(from start: UInt64, to end: UInt64) -> Double {
        Double(end - start) / 1e6
    }
}
