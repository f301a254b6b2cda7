/// Numbers as people read them on a screen: in `table`, `box`, `line` and `chart` (never in
/// csv, tsv, json or markdown, which keep the raw value for programs and spreadsheets).
///
/// A figure's amount is written as Chinese readers write it, with 万, 亿 or 万亿 and its base
/// unit (`39.8万亿元`, `2629.87亿元`, `4153万标准箱`); other numbers of five digits or more get
/// thousands separators (`41,530`), except in columns that hold identifiers or years, which
/// are typed back into queries as they are (`show 12345`).
public enum NumberDisplay {
    /// Columns whose numbers are names rather than quantities: never grouped.
    static let identifierColumns: Set<String> = ["id", "article", "issue", "number", "n", "ordinal", "period", "year"]

    /// The Chinese magnitudes, largest first.
    static let magnitudes: [(name: String, scale: Double)] = [("万亿", 1e12), ("亿", 1e8), ("万", 1e4)]

    /// What a cell of column `column` shows on the screen.
    public static func text(_ value: Value, column: String) -> String {
        switch value {
        case .amount(let x, let base):
            return amount(x, base: base)
        case .integer(let n) where !identifierColumns.contains(column):
            return grouped(n)
        case .number(let x) where !identifierColumns.contains(column):
            return grouped(x)
        default:
            return DisplayWidth.visible(value.plainText)
        }
    }

    /// `39.8万亿元`: the largest magnitude the amount reaches, at most four decimals (an
    /// amount is a printed figure times a power of ten, so this gives back what was printed).
    public static func amount(_ x: Double, base: String) -> String {
        guard x.isFinite else { return Value.format(x) + base }
        for (name, scale) in magnitudes where abs(x) >= scale {
            return decimal(x / scale) + name + base
        }
        return decimal(x) + base
    }

    /// A number rounded to four decimals, trailing zeros dropped, integer part grouped when it
    /// has five digits or more.
    static func decimal(_ x: Double) -> String {
        let rounded = (x * 10_000).rounded() / 10_000
        return grouped(rounded)
    }

    /// A number in its shortest exact form with the integer part grouped (`12,345.67`).
    public static func grouped(_ x: Double) -> String {
        let text = Value.format(x)
        guard x.isFinite, abs(x) >= 10_000, !text.contains("e") else { return text }
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        let whole = Int(parts[0]).map { grouped($0) } ?? String(parts[0])
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// An integer with thousands separators from `minimumDigits` digits on (five: `4100`,
    /// `41,530`, `-1,234,567`; counts in running text use four).
    public static func grouped(_ n: Int, minimumDigits: Int = 5) -> String {
        let digits = String(n.magnitude)
        guard digits.count >= minimumDigits else { return String(n) }
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
