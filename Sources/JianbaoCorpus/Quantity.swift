/// A number as bulletins and queries write it: digits (ASCII or full-width), an optional
/// decimal part (`.` or `．`), ASCII thousands separators between groups of three, an optional
/// magnitude word (百 千 万 亿 万亿) and an optional unit (`元`, `万人次` …).
///
/// `1000亿元` is value 1000, magnitude 亿, unit 元, amount 1e11.
public struct Quantity: Equatable, Sendable {
    /// The number as written, without its magnitude word (`1000`).
    public var value: Double
    /// The magnitude word, or "" (`亿`).
    public var magnitude: String
    /// What follows the magnitude (`元`), or "".
    public var unit: String
    /// `value` times the magnitude (`1e11`).
    public var amount: Double { Self.amount(digits: digits, magnitude: magnitude, negative: value < 0) }
    /// The number's ASCII digits and point as written (`2105.2`), for exact amounts.
    var digits: String = ""

    /// `digits` times the magnitude, rounded once from the decimal text (2105.2亿 is exactly
    /// 210520000000, not 2105.2 × 1e8 in binary).
    public static func amount(digits: String, magnitude: String, negative: Bool = false) -> Double {
        let exponent = magnitudes.first { $0.word == magnitude }.map { Int(($0.factor).exponentOfTen) } ?? 0
        let value = Double(digits + (exponent > 0 ? "e\(exponent)" : "")) ?? 0
        return negative ? -value : value
    }

    /// Magnitude words, longest first, so that 万亿 is read before 万.
    public static let magnitudes: [(word: String, factor: Double)] = [
        ("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("十亿", 1e9), ("亿", 1e8),
        ("千万", 1e7), ("百万", 1e6), ("十万", 1e5), ("万", 1e4), ("千", 1e3), ("百", 1e2),
    ]

    /// The unit an amount is counted in, without its magnitude and currency remark
    /// (`元人民币` is `元`, `％` is `%`).
    public static func baseUnit(_ unit: String) -> String {
        if unit == "％" { return "%" }
        if unit.hasSuffix("人民币"), unit.count > 3 { return String(unit.dropLast(3)) }
        return unit
    }

    public static func multiplier(_ magnitude: String) -> Double {
        magnitudes.first { $0.word == magnitude }?.factor ?? 1
    }

    /// Parses a whole word such as `3.65万亿元`, `１２９４１`, `1,400` or `-2.5`; nil when it does
    /// not start with a number, or when what follows the number is not a magnitude and unit
    /// made of letters (a bare `2024-03` is not a quantity).
    public init?(parsing text: String) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var negative = false
        if i < scalars.count, scalars[i] == "-" || scalars[i] == "−" { negative = true; i += 1 }
        guard let (value, end) = Self.number(scalars, from: i) else { return nil }
        digits = Self.digitText(scalars, from: i, to: end)
        i = end
        var rest = String(String.UnicodeScalarView(scalars[i...]))
        var magnitude = ""
        for (word, _) in Self.magnitudes where rest.hasPrefix(word) {
            magnitude = word
            rest = String(rest.dropFirst(word.count))
            break
        }
        // A unit is letters, CJK or %; digits or dashes after the number mean it is not one.
        guard rest.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "%" }) else { return nil }
        self.value = negative ? -value : value
        self.magnitude = magnitude
        self.unit = rest
    }

    /// A decimal number starting at `start` (ASCII or full-width digits); its value and the
    /// index after it. Thousands separators are ASCII commas between groups of three digits.
    public static func number(_ s: [Unicode.Scalar], from start: Int) -> (Double, Int)? {
        if let fast = decimal(s, from: start) { return (fast.value, fast.end) }
        return slowNumber(s, from: start)
    }

    /// Powers of ten that a Double holds exactly.
    static let exactPowers: [Double] = (0...22).map { Double("1e\($0)")! }

    /// A number of at most 15 digits read as mantissa and decimal places: the value is the
    /// mantissa divided by an exact power of ten, which IEEE division rounds as strtod would.
    /// nil for anything longer (the slow path reads those).
    public static func decimal(_ s: [Unicode.Scalar], from start: Int) -> (value: Double, end: Int, mantissa: UInt64, places: Int)? {
        var mantissa: UInt64 = 0, digits = 0, places = 0
        var i = start
        var sawPoint = false
        while i < s.count {
            let v = s[i].value
            let d: UInt32? = v >= 0x30 && v <= 0x39 ? v - 0x30 : v >= 0xFF10 && v <= 0xFF19 ? v - 0xFF10 : nil
            if let d {
                mantissa = mantissa * 10 + UInt64(d)
                digits += 1
                if sawPoint { places += 1 }
                if digits > 15 { return nil }
                i += 1
            } else if s[i] == ",", !sawPoint, digits > 0, threeDigitsFollow(s, i) {
                i += 1
            } else if (s[i] == "." || s[i] == "．"), !sawPoint, digits > 0, i + 1 < s.count, digit(s[i + 1]) != nil {
                sawPoint = true
                i += 1
            } else {
                break
            }
        }
        guard digits > 0 else { return nil }
        return (Double(mantissa) / exactPowers[places], i, mantissa, places)
    }

    static func slowNumber(_ s: [Unicode.Scalar], from start: Int) -> (Double, Int)? {
        var digits = ""
        var i = start
        var sawPoint = false
        while i < s.count {
            if let d = digit(s[i]) {
                digits.append(d)
                i += 1
            } else if s[i] == ",", !sawPoint, !digits.isEmpty, threeDigitsFollow(s, i) {
                i += 1
            } else if (s[i] == "." || s[i] == "．"), !sawPoint, !digits.isEmpty, i + 1 < s.count, digit(s[i + 1]) != nil {
                sawPoint = true
                digits.append(".")
                i += 1
            } else {
                break
            }
        }
        guard !digits.isEmpty, let value = Double(digits), value.isFinite else { return nil }
        return (value, i)
    }

    /// The ASCII digits and decimal point of the number in `s[from..<to]` (separators dropped).
    public static func digitText(_ s: [Unicode.Scalar], from: Int, to: Int) -> String {
        var text = ""
        for c in s[from..<to] {
            if let d = digit(c) { text.append(d) } else if c == "." || c == "．" { text.append(".") }
        }
        return text
    }

    /// `1,400`: the comma at `i` is followed by exactly three digits.
    static func threeDigitsFollow(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        guard i + 3 < s.count else { return false }
        for k in 1...3 where digit(s[i + k]) == nil { return false }
        return i + 4 >= s.count || digit(s[i + 4]) == nil
    }

    /// The ASCII digit for an ASCII or full-width digit.
    public static func digit(_ c: Unicode.Scalar) -> Character? {
        switch c.value {
        case 0x30...0x39: return Character(c)
        case 0xFF10...0xFF19: return Character(Unicode.Scalar(c.value - 0xFF10 + 0x30)!)
        default: return nil
        }
    }
}

extension Double {
    /// The power of ten this factor is (1e8 → 8).
    var exponentOfTen: Double {
        var n = 0.0, x = self
        while x >= 10 { x /= 10; n += 1 }
        return n
    }
}
