import JianbaoCorpus

/// One cell of a result row.
public enum Value: Hashable, Sendable {
    /// Absent: a date an issue does not have, a source an article lacks.
    case null
    case integer(Int)
    case text(String)
    case date(BulletinDate)
    case list([String])

    /// The value as plain text: integers in decimal, dates as written, lists joined with ` / `.
    public var plainText: String {
        switch self {
        case .null: return ""
        case .integer(let n): return String(n)
        case .text(let s): return s
        case .date(let d): return d.description
        case .list(let items): return items.joined(separator: " / ")
        }
    }
}
