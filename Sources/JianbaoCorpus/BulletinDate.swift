/// The date of an issue, at the precision it was written with: a year, a month or a day.
public struct BulletinDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Four-digit year.
    public var year: Int
    /// 1...12, or nil when only the year is known.
    public var month: Int?
    /// 1...31, or nil when the day is not known.
    public var day: Int?

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2024`, `2024-03` or `2024-03-15`.
    public var description: String {
        var text = String(year)
        if let month { text += "-" + twoDigits(month) }
        if let day { text += "-" + twoDigits(day) }
        return text
    }

    /// Orders by year, then month, then day; a less precise date sorts before a more precise
    /// one with the same prefix.
    public static func < (a: BulletinDate, b: BulletinDate) -> Bool {
        if a.year != b.year { return a.year < b.year }
        if a.month != b.month { return (a.month ?? 0) < (b.month ?? 0) }
        return (a.day ?? 0) < (b.day ?? 0)
    }

    /// Parses `2024`, `2024-03` or `2024-03-15` as a user writes it in a query.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]) else { return nil }
        var month: Int?, day: Int?
        if parts.count > 1 {
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            month = m
        }
        if parts.count > 2 {
            guard parts[2].count == 2, let d = Int(parts[2]), (1...31).contains(d) else { return nil }
            day = d
        }
        self.init(year: year, month: month, day: day)
    }

    /// Whether `self` lies within `prefix` (e.g. 2024-03-15 within 2024-03).
    public func hasPrefix(_ prefix: BulletinDate) -> Bool {
        if year != prefix.year { return false }
        if let m = prefix.month, m != month { return false }
        if let d = prefix.day, d != day { return false }
        return true
    }
}

private func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
