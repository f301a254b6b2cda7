/// Finds issue dates in file names and header lines (FORMAT.md "Files and issues").
///
/// The patterns are tried in the order FORMAT.md lists them, which is also most precise
/// first: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-MM`, `YYYY年M月D日`, `YYYY年M月`, `YYYY年第N期`.
/// A match needs a plausible year (1900–2099), a valid month and day, and no digit directly
/// before or after it, so that ids such as `b3e8f2f70fe3` or `20240315001` are not dates.
enum DateFinder {
    typealias Pattern = @Sendable (_ s: [UInt8], _ i: Int) -> BulletinDate?

    static let patterns: [Pattern] = [
        { s, i in date(match(s, i, [.digits(4), .lit("-"), .digits(2), .lit("-"), .digits(2)])) },
        { s, i in date(match(s, i, [.digits(4), .digits(2), .digits(2)])) },
        // `2024-02-32` is a broken day, not the month 2024-02.
        { s, i in date(match(s, i, [.digits(4), .lit("-"), .digits(2)]).flatMap { dashDigitFollows(s, i + 7) ? nil : $0 }) },
        { s, i in date(match(s, i, [.digits(4), .lit("年"), .number(2), .lit("月"), .number(2), .lit("日")])) },
        { s, i in date(match(s, i, [.digits(4), .lit("年"), .number(2), .lit("月")])) },
        { s, i in date(match(s, i, [.digits(4), .lit("年第"), .number(4), .lit("期")]).map { [$0[0]] }) },
    ]

    /// The first date found in `text`, trying each pattern over the whole text in turn.
    static func date(in text: [UInt8]) -> BulletinDate? {
        date(inLines: [text])
    }

    /// The first date in `lines`, by pattern first and then by line, so that a header
    /// `上海国资 2024年第2期` / `2024年3月15日` gives the day rather than the year.
    static func date(inLines lines: [[UInt8]]) -> BulletinDate? {
        for pattern in patterns {
            for line in lines {
                var i = 0
                while i < line.count {
                    if isDigit(line[i]), i == 0 || !isDigit(line[i - 1]), let date = pattern(line, i) {
                        return date
                    }
                    i += 1
                }
            }
        }
        return nil
    }

    /// N of the first `YYYY年第N期` in `lines`.
    static func issueNumber(inLines lines: [[UInt8]]) -> Int? {
        for line in lines {
            guard let at = find(line, Array("年第".utf8)) else { continue }
            var j = at + 6, n = 0, digits = 0
            while j < line.count, isDigit(line[j]), digits < 5 {
                n = n * 10 + Int(line[j] - 48); j += 1; digits += 1
            }
            if digits > 0, hasLiteral(line, j, Array("期".utf8)) { return n }
        }
        return nil
    }

    private enum Piece {
        /// Exactly n digits.
        case digits(Int)
        /// One to n digits.
        case number(Int)
        case lit(String)
    }

    /// The numbers of a match, in order, or nil when `pieces` do not match at `start`.
    private static func match(_ s: [UInt8], _ start: Int, _ pieces: [Piece]) -> [Int]? {
        var values: [Int] = []
        var i = start
        for piece in pieces {
            switch piece {
            case .digits(let n):
                guard i + n <= s.count else { return nil }
                var v = 0
                for k in 0..<n {
                    guard isDigit(s[i + k]) else { return nil }
                    v = v * 10 + Int(s[i + k] - 48)
                }
                values.append(v); i += n
            case .number(let n):
                var v = 0, k = 0
                while i + k < s.count, k < n, isDigit(s[i + k]) { v = v * 10 + Int(s[i + k] - 48); k += 1 }
                guard k > 0, i + k >= s.count || !isDigit(s[i + k]) else { return nil }
                values.append(v); i += k
            case .lit(let text):
                let bytes = Array(text.utf8)
                guard hasLiteral(s, i, bytes) else { return nil }
                i += bytes.count
            }
        }
        if i < s.count, isDigit(s[i]) { return nil }
        return values
    }

    /// A date from year, month and day numbers, if they are plausible.
    private static func date(_ values: [Int]?) -> BulletinDate? {
        guard let values else { return nil }
        let year = values[0]
        guard (1900...2099).contains(year) else { return nil }
        let month = values.count > 1 ? values[1] : nil
        let day = values.count > 2 ? values[2] : nil
        if let month, !(1...12).contains(month) { return nil }
        if let day, !(1...31).contains(day) { return nil }
        return BulletinDate(year: year, month: month, day: day)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private static func dashDigitFollows(_ s: [UInt8], _ i: Int) -> Bool {
        i + 1 < s.count && s[i] == UInt8(ascii: "-") && isDigit(s[i + 1])
    }

    private static func hasLiteral(_ s: [UInt8], _ i: Int, _ lit: [UInt8]) -> Bool {
        guard i + lit.count <= s.count else { return false }
        for k in 0..<lit.count where s[i + k] != lit[k] { return false }
        return true
    }

    private static func find(_ s: [UInt8], _ lit: [UInt8]) -> Int? {
        guard s.count >= lit.count else { return nil }
        for i in 0...(s.count - lit.count) where hasLiteral(s, i, lit) { return i }
        return nil
    }
}
