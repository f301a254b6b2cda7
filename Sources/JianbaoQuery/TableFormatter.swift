/// `table` and `box`: columns aligned by display width, numbers right-aligned (and kwic's left
/// context, which is cut at its start), cut with `…` to fit the terminal (the widest columns give way first). `table` draws a header rule and
/// `│` between columns; `box` adds a frame.
public struct TableFormatter: BufferingFormatter {
    let style: OutputStyle
    let boxed: Bool
    var result = BufferedResult()
    /// Narrowest a column is cut to (or its natural width, if smaller).
    static let minimumWidth = 4

    public init(style: OutputStyle, boxed: Bool) {
        self.style = style
        self.boxed = boxed
    }

    public mutating func end(to out: Output) throws(OutputClosed) {
        try result.ensureRoomToWrite()
        let n = result.columns.count
        guard n > 0 else { return }
        let cells = result.rows.map { $0.map(BufferedResult.text) }
        let headers = result.columns.map { DisplayWidth.visible($0) }
        var widths = (0..<n).map { c in
            max(style.headers ? DisplayWidth.of(headers[c]) : 0, cells.map { DisplayWidth.of($0[c]) }.max() ?? 0)
        }
        if let terminal = style.width {
            let chrome = 3 * (n - 1) + (boxed ? 4 : 0)
            widths = Self.fit(widths, into: terminal - chrome)
        }
        let numeric = (0..<n).map(result.isNumeric)
        let right = (0..<n).map { numeric[$0] || result.rightAligned.contains($0) }
        // Escapes are added after padding, which measures only what the terminal shows.
        func line(_ texts: [String], _ decorate: (String) -> String = { $0 }) -> String {
            let padded = (0..<n).map { c in
                let cell = result.rightAligned.contains(c) && !numeric[c]
                    ? DisplayWidth.keepingEnd(texts[c], width: widths[c]) : DisplayWidth.truncate(texts[c], to: widths[c])
                // No trailing spaces after the last column of an unframed table.
                let last = c == n - 1 && !boxed && !right[c]
                return decorate(last ? cell : DisplayWidth.pad(cell, to: widths[c], right: right[c]))
            }
            let inner = padded.joined(separator: dim(" │ "))
            return boxed ? dim("│ ") + inner + dim(" │") : inner
        }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            let parts = widths.map { String(repeating: "─", count: $0 + (boxed ? 2 : 0)) }
            if boxed { return dim(left + parts.joined(separator: middle) + right) }
            // Unframed: the rule runs under the padding spaces around each separator.
            return dim((0..<n).map { c in
                String(repeating: "─", count: widths[c] + (c > 0 ? 1 : 0) + (c < n - 1 ? 1 : 0))
            }.joined(separator: middle))
        }
        var text = ""
        if boxed { text += rule("┌", "┬", "┐") + "\n" }
        if style.headers {
            text += line(headers, bold) + "\n"
            text += rule("├", "┼", "┤") + "\n"
        }
        for row in cells { text += line(row) + "\n" }
        if boxed { text += rule("└", "┴", "┘") + "\n" }
        if result.rows.isEmpty { text += "(0 rows)\n" }
        try out.write(text)
    }

    /// Column widths cut to fit `available` columns: the largest cap under which the widths
    /// fit, never below `minimumWidth` (a table wider than the terminal then wraps).
    static func fit(_ widths: [Int], into available: Int) -> [Int] {
        guard widths.reduce(0, +) > available else { return widths }
        var lo = minimumWidth, hi = widths.max() ?? minimumWidth
        while lo < hi {
            let cap = (lo + hi + 1) / 2
            if widths.map({ min($0, cap) }).reduce(0, +) <= available { lo = cap } else { hi = cap - 1 }
        }
        return widths.map { min($0, lo) }
    }

    func bold(_ text: String) -> String { style.color ? "\u{1B}[1m" + text + "\u{1B}[0m" : text }
    func dim(_ text: String) -> String { style.color ? "\u{1B}[2m" + text + "\u{1B}[0m" : text }
}
