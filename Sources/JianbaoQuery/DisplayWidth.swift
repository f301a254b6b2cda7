import JianbaoCorpus

/// Terminal columns a text takes — the one width function behind tables, `kwic`, charts and
/// error carets.
///
/// Per scalar: East Asian Wide and Fullwidth characters and emoji presentation take two
/// columns; combining marks, format characters (ZWJ, variation selectors) and zero-width
/// spaces none; control characters none (they are made visible before display, see
/// `visible`); everything else one. Widths add up scalar by scalar, so the width of a
/// concatenation is the sum of the widths (an emoji ZWJ sequence counts its parts, as many
/// terminals draw it).
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += of(scalar) }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if v == 0x200B || (v >= 0x1160 && v <= 0x11FF) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        default:
            break
        }
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// East Asian Width W or F (Unicode 15, EastAsianWidth.txt, the large blocks).
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The text with control characters shown rather than sent to the terminal
    /// (`Printable.visible`: `↵`, `␉`, control pictures).
    public static func visible(_ text: String) -> String { Printable.visible(text) }

    /// The longest prefix of whole characters that fits `width` columns, with `…` at the end
    /// when anything was cut. Never cuts inside a character or a combining sequence.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = of(String(character))
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// The longest suffix of whole characters that fits `width` columns, with `…` in front
    /// when anything was cut: the other end of `truncate`, for left context.
    public static func keepingEnd(_ text: String, width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var kept: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = of(String(character))
            if used + w > width - 1 { break }
            kept.append(character)
            used += w
        }
        return "…" + String(kept.reversed())
    }

    /// `text` padded with spaces to `width` columns, on the left (`right` alignment) or right.
    public static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let gap = max(0, width - of(text))
        let spaces = String(repeating: " ", count: gap)
        return right ? spaces + text : text + spaces
    }
}
