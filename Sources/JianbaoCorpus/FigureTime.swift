/// Where a paragraph says which time its figures describe: the year (`period`) and the
/// stretch of it (`span`), found in one pass over the paragraph (docs/FIGURES.md "Period and
/// span"). Each figure takes the nearest mark of each kind before it.
struct TimeMark {
    /// Scalar position of the mark.
    var position: Int
    /// A year written out (2023年), or nil.
    var year: Int?
    /// 今年 (0) or 去年 (-1), when the year is only relative to the issue.
    var relative: Int?
    /// The span the mark states (`year`, `h1`, `q3`, `ytd-10`, `month`), or nil.
    var span: String?
    /// The last month the span covers (for a period taken from the issue date).
    var endMonth: Int?
    /// Written as months (1-12月, 截至12月末), so its year may come from the issue date.
    var months = false
    /// For a mark inside parentheses, where they close: it holds only up to there
    /// (…增长9.7%（以2019年同期数为基数）。其中中央企业… keeps the paragraph's year).
    var until: Int?
}

extension FigureExtractor {
    /// Chinese numerals for months and quarters (前两个月, 一季度).
    static let chineseNumbers: [Unicode.Scalar: Int] = [
        "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    ]
    /// Words that make what follows a comparison, not the figure's own time (较2021年, 比一季度,
    /// 增速较1-10月).
    static let comparisonWords = ScalarSet("较比与同")
    static let rangeJoiners = ScalarSet("至到-~—－～")
    /// The characters a word mark can start with: every other character is passed at once.
    static let wordMarkStarts = ScalarSet("今去全年上下前一二三四")
    static let quarterStarts = ScalarSet("一二三四")

    /// The span of the months 1…M: a quarter or half where it is one, else `ytd-M`.
    static func span(throughMonth m: Int) -> String {
        switch m {
        case 3: return "q1"
        case 6: return "h1"
        case 12: return "year"
        default: return "ytd-\(m)"
        }
    }

    /// The span of months a…b that do not start in January (4—6月 is q2), or nil.
    static func span(from a: Int, to b: Int) -> String? {
        if a == 1 { return span(throughMonth: b) }
        switch (a, b) {
        case (4, 6): return "q2"
        case (7, 9): return "q3"
        case (10, 12): return "q4"
        case (7, 12): return "h2"
        default: return nil
        }
    }

    /// A number of one or two digits, or a Chinese numeral up to 十二, at `i`: its value and end.
    func smallNumber(at i: Int) -> (value: Int, end: Int)? {
        guard i < s.count else { return nil }
        if isDigit(s[i]) {
            var v = 0, k = i
            while k < s.count, isDigit(s[k]), k - i < 3 { v = v * 10 + digitValue(s[k]); k += 1 }
            return k - i <= 2 ? (v, k) : nil
        }
        guard let first = Self.chineseNumbers[s[i]] else { return nil }
        if first == 10, i + 1 < s.count, let unit = Self.chineseNumbers[s[i + 1]], unit <= 2 { return (10 + unit, i + 2) }
        return (first, i + 1)
    }

    /// Whether the mark starting at `i` is a comparison (较1-10月, 比上年末, 2019年同期).
    func isComparison(before i: Int) -> Bool {
        i > 0 && Self.comparisonWords.contains(s[i - 1])
    }

    /// The marks of the paragraph in text order, those at or before `limit` at least (a mark
    /// found from position `i` stands at `i` or just before it, 第一季度).
    func timeMarks(upTo limit: Int = Int.max) -> [TimeMark] {
        var marks: [TimeMark] = []
        // Held here: a static is reached through a once-check on every read.
        let wordMarkStarts = Self.wordMarkStarts
        let end = limit < s.count ? limit + 1 : s.count
        var i = 0
        // The open parentheses (where a mark inside them holds up to, found only for a mark
        // inside them: most parentheses hold none).
        var opens: [Int] = []
        while i < end {
            let c = s[i]
            if c == "（" || c == "(" {
                opens.append(i)
            } else if c == "）" || c == ")", !opens.isEmpty {
                opens.removeLast()
            }
            let before = marks.count
            if isDigit(c), i == 0 || !isDigit(s[i - 1]) {
                i = digitMark(at: i, into: &marks)
            } else if wordMarkStarts.contains(c), let word = wordMark(at: i) {
                if !isComparison(before: i) { marks.append(word.mark) }
                i = word.end
            } else {
                i += 1
                continue
            }
            if marks.count > before, let open = opens.last, let close = closing(from: open) {
                for m in before..<marks.count { marks[m].until = close }
            }
        }
        return marks
    }

    /// Marks that start with digits: YYYY年 (a year; 年底 年末 年度 after it, or nothing, make
    /// the span a year), M月 (a month), M—N月 and 1至N月 (a range), M月末 and 截至M月 (the
    /// months through M). Returns where scanning goes on.
    func digitMark(at i: Int, into marks: inout [TimeMark]) -> Int {
        var k = i
        while k < s.count, isDigit(s[k]) { k += 1 }
        let comparison = isComparison(before: i)
        if k - i == 4, k < s.count, s[k] == "年" {
            let year = s[i..<k].reduce(0) { $0 * 10 + digitValue($1) }
            guard (1900...2099).contains(year), !comparison, !matches("同期", at: k + 1) else { return k + 1 }
            var mark = TimeMark(position: i, year: year)
            // 2023年3月22日 is a date: the year, but no span. 2023年10月 leaves the span to
            // the month that follows.
            if k + 1 < s.count, isDigit(s[k + 1]) {
                var m = k + 1
                while m < s.count, isDigit(s[m]) { m += 1 }
                if m < s.count, s[m] == "月" { marks.append(mark); return k + 1 }
            }
            if !matches("以来", at: k + 1) { mark.span = "year"; mark.endMonth = 12 }
            marks.append(mark)
            return k + 1
        }
        guard k - i <= 2, let (a, _) = smallNumber(at: i) else { return k }
        // A range: 1-10月, 1—6月, 1至9月, 1月至9月, 1月~7月份.
        var j = k
        if j < s.count, s[j] == "月", j + 1 < s.count, Self.rangeJoiners.contains(s[j + 1]), j + 2 < s.count, isDigit(s[j + 2]) { j += 1 }
        if j < s.count, Self.rangeJoiners.contains(s[j]), let (b, bEnd) = smallNumber(at: j + 1), bEnd < s.count, s[bEnd] == "月" {
            if !comparison, (1...12).contains(a), (a...12).contains(b), let span = Self.span(from: a, to: b) {
                marks.append(TimeMark(position: i, span: span, endMonth: b, months: true))
            }
            return bEnd + 1
        }
        guard k < s.count, s[k] == "月", (1...12).contains(a), !comparison else { return k }
        // 3月22日 is a day; 4月以来 a stretch with no name.
        if k + 1 < s.count, isDigit(s[k + 1]) || matches("以来", at: k + 1) { return k + 1 }
        let end = matches("末", at: k + 1) || matches("底", at: k + 1)
        if end || precededByUntil(i) {
            marks.append(TimeMark(position: i, span: Self.span(throughMonth: a), endMonth: a, months: true))
        } else {
            marks.append(TimeMark(position: i, span: "month", endMonth: a, months: true))
        }
        return k + 1
    }

    /// Whether 截至 (or 截止) stands before position `i`, maybe with a year between
    /// (截至2023年6月).
    func precededByUntil(_ i: Int) -> Bool {
        var k = i
        if k >= 5, s[k - 1] == "年", (2...5).allSatisfy({ isDigit(s[k - $0]) }) { k -= 5 }
        return matches("截至", at: k - 2) || matches("截止", at: k - 2)
    }

    /// Marks written in words: 今年 去年 (relative years), 全年 年末 年底 (the year), 上半年
    /// 下半年, 一季度 … 四季度 (第一季度 too), 前三季度, 前N个月.
    func wordMark(at i: Int) -> (mark: TimeMark, end: Int)? {
        let c = s[i]
        if c == "今", matches("今年", at: i) { return (TimeMark(position: i, relative: 0), i + 2) }
        if c == "去", matches("去年", at: i) {
            if matches("同期", at: i + 2) { return nil }
            return (TimeMark(position: i, relative: -1), i + 2)
        }
        if c == "全", matches("全年", at: i) { return (TimeMark(position: i, span: "year", endMonth: 12), i + 2) }
        if c == "年", matches("年末", at: i) || matches("年底", at: i), i == 0 || !"上去".unicodeScalars.contains(s[i - 1]) {
            return (TimeMark(position: i, span: "year", endMonth: 12), i + 2)
        }
        if c == "上", matches("上半年", at: i) { return (TimeMark(position: i, span: "h1", endMonth: 6), i + 3) }
        if c == "下", matches("下半年", at: i) { return (TimeMark(position: i, span: "h2", endMonth: 12), i + 3) }
        if c == "前" {
            if matches("前三季度", at: i) { return (TimeMark(position: i, span: "ytd-9", endMonth: 9), i + 4) }
            if let (n, end) = smallNumber(at: i + 1), (1...12).contains(n) {
                if matches("个月", at: end) { return (TimeMark(position: i, span: Self.span(throughMonth: n), endMonth: n), end + 2) }
                if matches("月", at: end) { return (TimeMark(position: i, span: Self.span(throughMonth: n), endMonth: n), end + 1) }
            }
            return nil
        }
        // 一季度, 第一季度, 1季度.
        if Self.quarterStarts.contains(c), let (n, end) = smallNumber(at: i), (1...4).contains(n), matches("季度", at: end) {
            let start = i > 0 && s[i - 1] == "第" ? i - 1 : i
            if isComparison(before: start) { return nil }
            return (TimeMark(position: start, span: "q\(n)", endMonth: n * 3), end + 2)
        }
        return nil
    }
}
