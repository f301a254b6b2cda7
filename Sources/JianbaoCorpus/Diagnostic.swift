/// One problem the loader found, printed as `file:line:col: warning: …` or `file: error: …`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// Information that is not a problem: a file read in an encoding other than UTF-8.
        /// Listed by `--check` and `.check`, never counted as a warning.
        case note
        /// The file loaded; something in it was not as FORMAT.md describes.
        case warning
        /// The file (or path) could not be used at all and was skipped.
        case error
    }

    /// Warning or error.
    public var severity: Severity
    /// The path as the user named it (or as found below a named folder).
    public var file: String
    /// 1-based line, when the problem is at a place in the file.
    public var line: Int?
    /// 1-based column in characters (Unicode scalars), when known.
    public var column: Int?
    /// Short lowercase text saying what is wrong.
    public var message: String

    public init(_ severity: Severity, file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        // A file name can hold escape sequences (a title change, a screen clear): shown, not sent.
        var place = Printable.visible(file)
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place): \(severity.rawValue): \(Printable.visible(message))"
    }
}

/// Text from files and users made safe to print on a terminal.
public enum Printable {
    /// The text with control characters shown rather than sent to the terminal: newline `↵`,
    /// tab `␉`, carriage return `␍`, other C0 controls as their Unicode control pictures
    /// (U+2400…), DEL `␡`, and C1 controls (U+0080–U+009F, which some terminals obey as
    /// escape sequences) as U+FFFD.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out.append("↵")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80..<0xA0: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

/// `1 error`, `2 errors`: counts in messages read as English.
public func counted(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
}
