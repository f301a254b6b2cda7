/// Horizontal bars for the last number column, labelled by the first column, drawn with
/// eighth blocks (▏▎▍▌▋▊▉█) so that a bar's end falls within 1/8 of a column; the value is
/// printed after each bar. Scaled to the terminal width, or 80 columns when piped; zero and
/// negative values have no bar. Without a number column it draws a table instead, saying so.
public struct ChartFormatter: BufferingFormatter {
    let style: OutputStyle
    var result = BufferedResult()
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public init(style: OutputStyle) { self.style = style }

    public mutating func end(to out: Output) throws(OutputClosed) {
        try result.ensureRoomToWrite()
        let n = result.columns.count
        guard let valueColumn = (0..<n).last(where: result.isNumeric) else {
            try out.write("(chart: no number column to draw; shown as a table)\n")
            var table = TableFormatter(style: style, boxed: false)
            try table.begin(columns: result.columns, to: out)
            for row in result.rows { try table.row(row, to: out) }
            try table.end(to: out)
            return
        }
        let width = style.width ?? 80
        let labels = result.rows.enumerated().map { i, row in
            valueColumn == 0 ? String(i + 1) : NumberDisplay.text(row[0], column: result.columns[0])
        }
        let numbers = result.rows.map { row -> Double? in
            switch row[valueColumn] {
            case .integer(let v): return Double(v)
            case .number(let x), .amount(let x, _): return x
            default: return nil
            }
        }
        let valueTexts = result.rows.map { NumberDisplay.text($0[valueColumn], column: result.columns[valueColumn]) }
        let labelWidth = min(labels.map(DisplayWidth.of).max() ?? 0, max(8, width / 3))
        let valueWidth = valueTexts.map(DisplayWidth.of).max() ?? 0
        let barWidth = max(10, width - labelWidth - valueWidth - 3)
        // Bars measure positive values against the largest; zero, negative and non-finite
        // values get no bar (a scale from a negative maximum overflowed: found by fuzzing).
        let maximum = numbers.compactMap { $0 }.filter { $0 > 0 && $0.isFinite }.max()
        var text = ""
        if style.headers {
            text += DisplayWidth.pad(valueColumn == 0 ? "#" : result.columns[0], to: labelWidth) + " " + result.columns[valueColumn] + "\n"
        }
        for (i, label) in labels.enumerated() {
            var eighths = 0
            if let maximum, let value = numbers[i], value > 0, value.isFinite {
                eighths = Int((min(1, value / maximum) * Double(barWidth * 8)).rounded())
            }
            let bar = String(repeating: "█", count: eighths / 8) + Self.eighths[eighths % 8]
            text += DisplayWidth.pad(DisplayWidth.truncate(label, to: labelWidth), to: labelWidth) + " "
            text += bar + " " + valueTexts[i] + "\n"
        }
        try out.write(text)
    }
}
