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

    /// `seconds` after `start` in the clock's nanoseconds, saturating: any positive finite
    /// number `.timeout` accepts (`1e11`, `1e300`) is a deadline, at worst "never" (a plain
    /// conversion trapped on the next statement, issue 18).
    public static func deadline(after seconds: Double, from start: UInt64) -> UInt64 {
        let nanoseconds = seconds * 1e9
        guard nanoseconds < 1.8e19 else { return UInt64.max }
        let (sum, overflow) = start.addingReportingOverflow(UInt64(max(0, nanoseconds)))
        return overflow ? UInt64.max : sum
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
