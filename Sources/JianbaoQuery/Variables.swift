/// Script variables: named ones (`-D`, `.set`) and a script's arguments (`$1`, `$2`, …).
///
/// `$NAME`, `${NAME}`, `$1` and `${10}` are replaced in every line before it is read, quoted
/// text included; `$$` is a literal `$`, and a `$` not followed by a name is kept (`"\\d+$"`).
public struct Variables: Sendable {
    /// `-D NAME=VALUE` and `.set NAME VALUE`.
    public var named: [String: String] = [:]
    /// Arguments of the scripts being read, innermost last.
    var arguments: [[String]] = [[]]

    public init(named: [String: String] = [:], arguments: [String] = []) {
        self.named = named
        self.arguments = [arguments]
    }

    /// The line with every variable replaced, or an error naming the first undefined one.
    /// A comment (`#` or `--` starting a word outside quotes) is left as it is.
    public func substitute(_ line: String) throws(QueryError) -> String {
        guard line.utf8.contains(UInt8(ascii: "$")) else { return line }
        let bytes = Array(line.utf8)
        var out: [UInt8] = []
        var i = 0
        var quote: UInt8?
        while i < bytes.count {
            let b = bytes[i]
            if let q = quote {
                if b == q { quote = nil } else if b == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] != UInt8(ascii: "$") {
                    out += [b, bytes[i + 1]]; i += 2; continue
                }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if i == 0 || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09,
                      b == UInt8(ascii: "#") || (b == UInt8(ascii: "-") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-")) {
                out += bytes[i...]
                break
            }
            guard b == UInt8(ascii: "$"), i + 1 < bytes.count else {
                out.append(b); i += 1; continue
            }
            let next = bytes[i + 1]
            var name: String?
            var end = i + 1
            if next == UInt8(ascii: "$") {
                out.append(next); i += 2; continue
            } else if next == UInt8(ascii: "{") {
                guard let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                    out.append(bytes[i]); i += 1; continue
                }
                name = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
                end = close + 1
            } else if Self.isNameStart(next) || Self.isDigit(next) {
                end = i + 2
                if Self.isDigit(next) {
                    while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
                } else {
                    while end < bytes.count, Self.isNameStart(bytes[end]) || Self.isDigit(bytes[end]) { end += 1 }
                }
                name = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
            }
            guard let name else { out.append(bytes[i]); i += 1; continue }
            guard let value = self.value(of: name) else {
                throw QueryError(.undefinedVariable(name), span: i..<end)
            }
            out += Array(value.utf8)
            i = end
            // Checked as the line grows, not after: `.set a $a$a` doubles a value each time
            // and would reach gigabytes before a check at the end.
            if out.count > Session.maxStatementBytes {
                throw QueryError(.statementTooLong(out.count + bytes.count - i, limit: Session.maxStatementBytes, skipping: false), span: 0..<0)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A named variable, or a positional one of the innermost script.
    public func value(of name: String) -> String? {
        if let n = Int(name) {
            let args = arguments.last ?? []
            return n >= 1 && n <= args.count ? args[n - 1] : (n == 0 ? nil : nil)
        }
        return named[name]
    }

    /// The innermost script's arguments.
    public var positional: [String] { arguments.last ?? [] }

    mutating func push(_ args: [String]) { arguments.append(args) }
    mutating func pop() { if arguments.count > 1 { arguments.removeLast() } }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Whether `name` can be set with `.set` or `-D`.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isNameStart(first) else { return false }
        return bytes.allSatisfy { isNameStart($0) || isDigit($0) }
    }
}
