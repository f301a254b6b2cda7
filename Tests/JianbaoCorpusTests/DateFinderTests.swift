import Testing
@testable import JianbaoCorpus

@Suite struct DateFinderTests {
    @Test(arguments: [
        ("2024-03-15", "2024-03-15"),
        ("简报_2024-03-15_终稿", "2024-03-15"),
        ("20240315", "2024-03-15"),
        ("bulletin_20210315", "2021-03-15"),
        ("2024-03", "2024-03"),
        ("2024年3月15日", "2024-03-15"),
        ("2024年12月", "2024-12"),
        ("上海国资2024年第2期", "2024"),
        ("2024年第15期", "2024"),
        ("000_b3e8f2f70fe3def7", "-"),
        ("202403150", "-"),
        ("2024-13", "-"),
        ("2024-02-32", "-"),
        ("12024-03", "-"),
        ("1850-01-01", "-"),
        ("report-2023-11-a", "2023-11"),
    ])
    func fileName(_ name: String, _ expected: String) {
        #expect(DateFinder.date(in: Array(name.utf8))?.description ?? "-" == expected)
    }

    @Test func patternOrderBeatsLineOrderInHeaders() {
        let lines = ["上海国资 2024年第2期", "2024年2月8日"].map { Array($0.utf8) }
        #expect(DateFinder.date(inLines: lines)?.description == "2024-02-08")
        #expect(DateFinder.issueNumber(inLines: lines) == 2)
    }

    @Test(arguments: [("2024", "2024-03-15", true), ("2024-03", "2024-03-15", true), ("2024-04", "2024-03-15", false),
                      ("2024-03-15", "2024-03", false)])
    func prefix(_ prefix: String, _ date: String, _ expected: Bool) throws {
        let p = try #require(BulletinDate(parsing: prefix)), d = try #require(BulletinDate(parsing: date))
        #expect(d.hasPrefix(p) == expected)
    }

    @Test func ordering() throws {
        let dates = ["2024-03-15", "2023", "2024", "2024-03"].compactMap(BulletinDate.init(parsing:)).sorted()
        #expect(dates.map(\.description) == ["2023", "2024", "2024-03", "2024-03-15"])
    }
}
