import JianbaoCorpus

/// `table` and `box`: columns aligned by display width, numbers right-aligned (and kwic's left
/// context, which is cut at its start). On a terminal the table fits the window as
/// `TableLayout` decides: numbers, dates and ids are never cut, the widest text gives way
/// first, columns that still do not fit are left out and named in a footer; in `box`, text
/// wraps to `style.wrap` lines instead of being cut. A single row too wide for the window is
/// shown as `line` (psql's `\x auto`). `table` draws a header rule and `│` between columns;
/// `box` adds a frame.
public struct TableFormatter: BufferingFormatter {
    let style: OutputStyle
    let boxed: Bool
    var result = BufferedResult()

    public init(style: OutputStyle, boxed: Bool) {
        self.style = style
        self.boxed = boxed
    }

    public mutating func end(to out: Output) throws(OutputClosed) {
        try result.ensureRoomToWrite()
        let n = result.columns.count
        guard n > 0 else { return }
        let cells = result.rows.map { row in row.enumerated().map { NumberDisplay.text($1, column: result.columns[$0]) } }
        let headers = result.columns.map { DisplayWidth.visible($0) }
        let natural = (0..<n).map { c in
            max(style.headers ? DisplayWidth.of(headers[c]) : 0, cells.map { DisplayWidth.of($0[c]) }.max() ?? 0)
        }
        let frame = boxed ? 4 : 0
        let chrome = { (columns: Int) in 3 * (columns - 1) + frame }
        var layout = TableLayout(shown: Array(0..<n), widths: natural, omitted: [])
        if let width = style.width, natural.reduce(0, +) + chrome(n) > width {
            if result.rows.count == 1 {
                var line = LineFormatter()
                try line.begin(columns: result.columns, to: out)
                try line.row(result.rows[0], to: out)
                return
            }
            let shrinkable = (0..<n).map(isText)
            let floor = (0..<n).map { c in max(TableLayout.textFloor, style.headers ? DisplayWidth.of(headers[c]) : 0) }
            layout = TableLayout.fit(natural: natural, floor: floor, shrinkable: shrinkable, width: width, chrome: chrome)
        }
        var text = ""
        let shown = layout.shown
        let widths = layout.widths
        let numeric = shown.map(result.isNumeric)
        let right = shown.indices.map { numeric[$0] || result.rightAligned.contains(shown[$0]) }
        // kwic's left context is cut at its start, so that the match column stays in place.
        let keepsEnd = shown.indices.map { result.rightAligned.contains(shown[$0]) && !numeric[$0] }
        let wraps = shown.map { boxed && isText($0) && !result.rightAligned.contains($0) }
        // Escapes are added after padding, which measures only what the terminal shows.
        func lines(_ texts: [String], _ decorate: (String) -> String = { $0 }) -> [String] {
            let columns = shown.enumerated().map { k, c -> [String] in
                if keepsEnd[k] { return [DisplayWidth.keepingEnd(texts[c], width: widths[k])] }
                return wraps[k] ? TableLayout.wrap(texts[c], width: widths[k], limit: style.wrap)
                                : [DisplayWidth.truncate(texts[c], to: widths[k])]
            }
            let height = columns.map(\.count).max() ?? 1
            return (0..<height).map { line in
                let padded = columns.enumerated().map { k, parts in
                    let cell = line < parts.count ? parts[line] : ""
                    // No trailing spaces after the last column of an unframed table.
                    let last = k == shown.count - 1 && !boxed && !right[k]
                    return decorate(last ? cell : DisplayWidth.pad(cell, to: widths[k], right: right[k]))
                }
                let inner = padded.joined(separator: dim(" │ "))
                return boxed ? dim("│ ") + inner + dim(" │") : inner
            }
        }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            let parts = widths.map { String(repeating: "─", count: $0 + (boxed ? 2 : 0)) }
            if boxed { return dim(left + parts.joined(separator: middle) + right) }
            // Unframed: the rule runs under the padding spaces around each separator.
            return dim((0..<widths.count).map { k in
                String(repeating: "─", count: widths[k] + (k > 0 ? 1 : 0) + (k < widths.count - 1 ? 1 : 0))
            }.joined(separator: middle))
        }
        if boxed { text += rule("┌", "┬", "┐") + "\n" }
        if style.headers {
            text += lines(headers, bold).joined(separator: "\n") + "\n"
            text += rule("├", "┼", "┤") + "\n"
        }
        for row in cells { text += lines(row).joined(separator: "\n") + "\n" }
        if boxed { text += rule("└", "┴", "┘") + "\n" }
        if result.rows.isEmpty { text += "(0 rows)\n" }
        if !layout.omitted.isEmpty { text += footer(omitted: layout.omitted) + "\n" }
        try out.write(text)
    }

    /// Whether column `c` is text that may be narrowed: not numbers, dates or identifiers.
    func isText(_ c: Int) -> Bool {
        if result.isNumeric(c) || NumberDisplay.identifierColumns.contains(result.columns[c]) { return false }
        let present = result.rows.lazy.map { $0[c] }.filter { $0 != .null }
        return !present.allSatisfy { if case .date = $0 { return true } else { return false } }
    }

    /// `… 6 more columns: title_lines, subheadings, …; .mode line shows every field`, names
    /// left out from the end while the line is wider than the terminal (the hint last).
    func footer(omitted: [Int]) -> String {
        let names = omitted.map { result.columns[$0] }
        let head = "… \(counted(names.count, "more column")): "
        let width = style.width ?? Int.max
        for tail in ["; .mode line shows every field", ""] {
            for listed in stride(from: names.count, through: 1, by: -1) {
                let text = head + names.prefix(listed).joined(separator: ", ") + (listed < names.count ? ", …" : "") + tail
                if DisplayWidth.of(text) <= width { return text }
            }
        }
        return DisplayWidth.truncate(head + names.joined(separator: ", "), to: width)
    }

    func bold(_ text: String) -> String { style.color ? "\u{1B}[1m" + text + "\u{1B}[0m" : text }
    func dim(_ text: String) -> String { style.color ? "\u{1B}[2m" + text + "\u{1B}[0m" : text }
}
