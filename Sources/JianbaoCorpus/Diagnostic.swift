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
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// `1 error`, `2 errors`: counts in messages read as English.
public func counted(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
}
