/// The candidate starting at a position, by binary search over their sorted starts.
struct StartIndex {
    let starts: [Int]

    subscript(position: Int) -> Int? {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] < position { lo = mid + 1 } else { hi = mid }
        }
        return lo < starts.count && starts[lo] == position ? lo : nil
    }
}

/// Changes attached to the figure before them (docs/FIGURES.md "Changes"): what they compare
/// with (`change_basis`), how they were written (`change_unit`), and absolute changes
/// (`change_abs`).
extension FigureExtractor {
    /// What a change compares with, from the words between the figure and the change verb
    /// and the change phrase itself: 环比, 比年初, 较YYYY年, 两年平均, else 同比 (较上年,
    /// 比去年同期 and an unstated basis are all year on year).
    func basis(_ from: Int, _ to: Int) -> String {
        var k = from
        // A comparison with something else than a year ago, as written (较前两年同期平均值).
        if let open = (from..<to).first(where: { s[$0] == "较" || s[$0] == "比" }),
           let verb = (open + 1..<to).first(where: { change(at: $0) != nil }), verb - open >= 3 {
            let compared = text(open + 1, verb)
            let yearAgo = ["上年", "去年", "上年同期", "去年同期", "同期", "上年同月", "去年同月"]
            // The end of last year is the start of this one (资产总额…，较上年末增长3.9%).
            if Self.lastYearEnds.contains(compared) { return "比年初" }
            if !yearAgo.contains(compared), !compared.contains("年初"), !(compared.first?.isNumber ?? false) {
                return "较" + compared
            }
        }
        while k < to {
            // The first scalar is compared before the word: most positions start none of them.
            let c = s[k]
            if c == "环", matches("环比", at: k) { return "环比" }
            if c == "两", matches("两年平均", at: k) { return "两年平均" }
            if c == "年", matches("年初", at: k) { return "比年初" }
            if c == "较" || c == "比", k + 5 <= to, (1...4).allSatisfy({ isDigit(s[k + $0]) }), s[k + 5] == "年" {
                return "较" + text(k + 1, k + 6)
            }
            k += 1
        }
        return "同比"
    }

    /// Comparisons with the end of last year: a change since the start of this one.
    static let lastYearEnds: Set<String> = ["上年末", "去年末", "上年底", "去年底", "上年年末", "去年年末", "上年年底", "去年年底"]

    /// Where a change verb starts at or just after `j`: the comparison or basis words that may
    /// stand before it (，较上年同期下降, 同比增长, 与去年同期持平, 两年平均增长) are passed.
    func changeStart(at j: Int) -> Int? {
        if change(at: j) != nil { return j }
        guard j < s.count else { return nil }
        let opens = s[j] == "较" || s[j] == "比" || s[j] == "与" || matches("两年平均", at: j) || matches("同比", at: j)
            || matches("环比", at: j) || matches("分别", at: j)
        guard opens else { return nil }
        var m = j + 1
        while m < s.count, m - j <= 10, change(at: m) == nil, !isBoundary(s[m]) || isDigit(s[m]) { m += 1 }
        return change(at: m) != nil ? m : nil
    }

    /// The change of a candidate standing at `m` after a change phrase of `sign`: percent as
    /// written, 个百分点 as points, 倍 as percent (增长1.2倍 is +120).
    func changeValue(_ c: Candidate, sign: Int) -> (value: Double, unit: String)? {
        if c.isPercent { return (Double(sign) * c.value, "%") }
        if c.isPoints { return (Double(sign) * c.value, "个百分点") }
        if c.isTimes { return (Double(sign) * c.value * 100, "倍") }
        return nil
    }

    /// A change phrase after a figure (a breakdown in parentheses and a comma may stand
    /// between, or the change may stand in the parentheses) belongs to it; `同比分别增长 a%、b%`
    /// and `同比增长a%和b%` pair with the figures of the list before; `同比增加12家` after a
    /// figure in 家 is its absolute change.
    func attachChanges(_ c: inout [Candidate]) {
        // Candidates are in text order and start at distinct positions: a binary search finds
        // the one at a position (a scan per figure made long paragraphs quadratic).
        let byStart = StartIndex(starts: c.map(\.start))
        for k in c.indices where !c[k].consumed && c[k].parent == nil {
            var j = c[k].end
            if j < s.count, s[j] == "（" || s[j] == "(", let close = closing(from: j) {
                if changeStart(at: j + 1) != nil {
                    j += 1
                } else {
                    var m = k + 1
                    while m < c.count, c[m].start < close {
                        if c[m].start > j { c[m].parent = k }
                        m += 1
                    }
                    j = close + 1
                }
            }
            // An absolute change first (同比增加393.01亿元), then maybe a percentage.
            for _ in 0..<2 {
                while j < s.count, s[j] == " " { j += 1 }
                if j < s.count, s[j] == "，" || s[j] == "," || s[j] == "、" { j += 1 }
                while j < s.count, s[j] == " " { j += 1 }
                // A share's change (占比较上年下降6.8个百分点) is the change of the share.
                if matches("占比", at: j) { j += 2 }
                // An amount's change in percent may follow a percentage of its own clause
                // (收入46亿元，为调整预算的101.1%，增长18.8%): it is passed.
                if changeStart(at: j) == nil, let passed = percentBeforeChange(c, k, from: j, byStart: byStart) { j = passed }
                guard let verb = changeStart(at: j), let (length, sign) = change(at: verb) else { break }
                var after = verb + length
                if after < s.count, s[after] == "了" { after += 1 }
                if after < s.count, s[after] == " " { after += 1 }
                let basis = basis(j, after)
                if sign == 0 {
                    c[k].change = 0
                    c[k].changeUnit = "%"
                    c[k].changeBasis = basis
                    break
                }
                if let m = byStart[after], !c[m].consumed, !c[m].isPercent, !c[m].isPoints, !c[m].isTimes,
                   c[m].unitKey == c[k].unitKey, c[k].changeAbs == nil {
                    c[k].changeAbs = Double(sign) * c[m].value
                    c[m].consumed = true
                    j = c[m].end
                    continue
                }
                attachPercents(&c, k, after: after, sign: sign, basis: basis, byStart: byStart)
                break
            }
        }
    }

    /// Where to look on for the change of amount `k` when a percentage figure stands first in
    /// the clause at `j` and a change in percent follows it after a comma: where that change
    /// starts; else nil. A change in points after it is the percentage's own.
    func percentBeforeChange(_ c: [Candidate], _ k: Int, from j: Int, byStart: StartIndex) -> Int? {
        let n = k + 1
        guard !c[k].isPercent, !c[k].isPoints, n < c.count, c[n].isPercent, !c[n].consumed, c[n].sentence == c[k].sentence,
              c[n].start >= j, !(j..<c[n].start).contains(where: { punctuation.contains(s[$0]) }) else { return nil }
        var e = c[n].end
        if e < s.count, s[e] == "，" || s[e] == "," { e += 1 }
        guard let verb = changeStart(at: e), let (length, sign) = change(at: verb), sign != 0,
              let m = byStart[verb + length], c[m].isPercent, !c[m].consumed else { return nil }
        return e
    }

    /// The percentages right after a change phrase (separated by 、 和 及 and commas) go to
    /// this figure and, for a list, to the ones before it in the same sentence that have no
    /// change yet.
    func attachPercents(_ c: inout [Candidate], _ k: Int, after: Int, sign: Int, basis: String, byStart: StartIndex) {
        var percents: [Int] = []
        var position = after
        while let m = byStart[position], c[m].isPercent || c[m].isPoints || c[m].isTimes, !c[m].consumed {
            percents.append(m)
            position = c[m].end
            if position < s.count, Self.listJoiners.contains(s[position]) { position += 1 } else { break }
        }
        guard !percents.isEmpty else { return }
        // A list of percentage changes goes to the amounts before it, passing percentages
        // between (完成年计划的50.5%、52.7%，同比分别增长23.6%、30.1%).
        let points = c[percents[0]].isPoints
        var owners = percents.count > 1 && c[k].isPercent && !points ? [] : [k]
        var m = k - 1
        while owners.count < percents.count, m >= 0, k - m <= 3 * percents.count + 8, c[m].sentence == c[k].sentence {
            if !c[m].consumed, c[m].parent == nil, c[m].change == nil, points || !c[m].isPercent || percents.count == 1 { owners.insert(m, at: 0) }
            m -= 1
        }
        guard owners.count == percents.count else { return }
        // A percentage changes in points (资产负债率65.4%，下降0.1个百分点); one followed by
        // another percentage is a list of changes standing alone (中央企业同比增长36.4%，…，
        // 两年平均分别增长13.6%和14.2%).
        guard zip(owners, percents).allSatisfy({ !c[$0.0].isPercent || c[$0.1].isPoints }) else { return }
        for (owner, percent) in zip(owners, percents) {
            guard let change = changeValue(c[percent], sign: sign) else { continue }
            c[owner].change = change.value
            c[owner].changeUnit = change.unit
            c[owner].changeBasis = basis
            c[percent].consumed = true
        }
    }

    /// Whether 累计 stands in the clause before position `i` (累计完成, 累计实现营业收入):
    /// the figure is a running total.
    func isCumulative(_ i: Int) -> Bool {
        var k = i - 1
        while k >= 1, i - k <= 40, !punctuation.contains(s[k]) {
            if s[k - 1] == "累", s[k] == "计" { return true }
            k -= 1
        }
        return false
    }
}
