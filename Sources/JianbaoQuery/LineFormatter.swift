/// One `field = value` per line, names right-aligned by display width, a blank line between
/// rows (sqlite's line mode; psql's expanded display). Good for wide rows such as `body`.
/// Numbers show as on the screen (`NumberDisplay`): amounts as `39.8万亿元`.
public struct LineFormatter: ResultFormatter {
    var columns: [String] = []
    var nameWidth = 0
    var first = true

    public init() {}

    public mutating func begin(columns: [String], to out: Output) throws(OutputClosed) {
        self.columns = columns
        nameWidth = columns.map(DisplayWidth.of).max() ?? 0
        first = true
    }

    public mutating func row(_ values: [Value], to out: Output) throws(OutputClosed) {
        var text = first ? "" : "\n"
        first = false
        for (c, value) in values.enumerated() {
            text += DisplayWidth.pad(columns[c], to: nameWidth, right: true) + " = " + NumberDisplay.text(value, column: columns[c]) + "\n"
        }
        try out.write(text)
    }
}
