/// Numbers as people read them on a screen (`table`, `box`, `line`, `chart`; never in csv,
/// tsv or json, which keep the raw value for programs).
public enum NumberDisplay {
    /// An integer with thousands separators: `4,100`, `-1,234,567`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
