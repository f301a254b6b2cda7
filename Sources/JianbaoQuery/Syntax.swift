/// A name as the user typed it, with its span in the statement text.
public struct Name: Equatable, Sendable {
    public var text: String
    public var span: Range<Int>
}

/// A parsed statement, before any name is checked against the schema.
public enum Statement: Equatable, Sendable {
    /// `select <target> [fields]` or `select fields from <target>`; nil fields means all.
    case select(target: Name, fields: [Name]?)
    /// `count <target>`.
    case count(target: Name)
    /// `show <article-id>`.
    case show(id: Int, span: Range<Int>)

    /// The statement written back as text; parsing it again gives the same statement
    /// (spans aside).
    public var canonicalText: String {
        switch self {
        case .select(let target, let fields):
            let list = fields.map { " " + $0.map(\.text).joined(separator: ", ") } ?? ""
            return "select \(quoteIfNeeded(target.text))\(list)"
        case .count(let target):
            return "count \(quoteIfNeeded(target.text))"
        case .show(let id, _):
            return "show \(id)"
        }
    }
}

/// Quotes a name that would not lex back as one bare word.
func quoteIfNeeded(_ text: String) -> String {
    let stops: Set<Character> = [",", "(", ")", ";", "=", "<", ">", "!", "\"", "'", " ", "\t", "\n", "#"]
    if !text.isEmpty, !text.contains(where: { stops.contains($0) }), !text.hasPrefix("--") { return text }
    return "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
}

extension String {
    /// Foundation-free replacement of every occurrence of `target`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
