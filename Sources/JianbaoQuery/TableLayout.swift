/// How a table's columns share a terminal's width (DuckDB's duckbox, then better): numbers,
/// dates and identifiers keep their whole width; the widest text columns give way first, down
/// to a floor; when even that does not fit, whole columns are left out from the right, and the
/// formatter says which in a footer.
struct TableLayout: Equatable {
    /// The columns shown, in order (indices into the result's columns).
    var shown: [Int]
    /// The width of each shown column.
    var widths: [Int]
    /// The columns left out, in order.
    var omitted: [Int]

    /// A text column is not narrowed below this (or its header, or its natural width).
    static let textFloor = 12

    /// `natural` widths of all columns; `shrinkable` marks the text columns that may be
    /// narrowed (to at least `floor`); `chrome` is the space separators and frame take for a
    /// number of columns; `width` the terminal's.
    static func fit(natural: [Int], floor: [Int], shrinkable: [Bool], width: Int,
                    chrome: (Int) -> Int) -> TableLayout {
        var shown = Array(natural.indices)
        func need(_ columns: [Int]) -> Int {
            columns.reduce(0) { $0 + (shrinkable[$1] ? min(natural[$1], floor[$1]) : natural[$1]) } + chrome(columns.count)
        }
        while shown.count > 1, need(shown) > width { shown.removeLast() }
        let omitted = natural.indices.filter { !shown.contains($0) }
        let available = width - chrome(shown.count)
        let fixed = shown.filter { !shrinkable[$0] }.reduce(0) { $0 + natural[$1] }
        let flexible = shown.filter { shrinkable[$0] }
        // The largest cap under which the text columns fit what the fixed ones leave.
        var lo = 0, hi = flexible.map { natural[$0] }.max() ?? 0
        func total(_ cap: Int) -> Int { flexible.reduce(0) { $0 + Swift.max(min(natural[$1], floor[$1]), min(natural[$1], cap)) } }
        while lo < hi {
            let cap = (lo + hi + 1) / 2
            if fixed + total(cap) <= available { lo = cap } else { hi = cap - 1 }
        }
        let widths = shown.map { c in
            shrinkable[c] ? Swift.max(min(natural[c], floor[c]), min(natural[c], lo)) : natural[c]
        }
        return TableLayout(shown: shown, widths: widths, omitted: omitted)
    }

    /// A cell's text in lines of at most `width` columns, at most `limit` of them; the last
    /// line ends in `…` when text was left over. Breaks between characters (Chinese has no
    /// spaces to break at); a newline in the text was made visible before.
    static func wrap(_ text: String, width: Int, limit: Int) -> [String] {
        guard DisplayWidth.of(text) > width, limit > 1, width > 1 else { return [DisplayWidth.truncate(text, to: width)] }
        var lines: [String] = []
        var current = "", used = 0
        var rest = Substring(text)
        while let character = rest.first {
            let w = DisplayWidth.of(String(character))
            if used + w > width {
                lines.append(current)
                current = ""
                used = 0
                if lines.count == limit - 1 { break }
            }
            current.append(character)
            used += w
            rest = rest.dropFirst()
        }
        let last = current + rest
        lines.append(DisplayWidth.truncate(last, to: width))
        return lines
    }
}
