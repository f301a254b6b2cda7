import Foundation
import Testing
@testable import JianbaoQuery
import JianbaoTestSupport

/// docs/LANGUAGE.md's table of targets and fields is generated from `Schema.targets`: the
/// docs, `.fields` and the resolver read one table.
@Suite struct FieldsDocTests {
    static func table() -> String {
        var text = "| target | field | type | meaning |\n|---|---|---|---|\n"
        for spec in Schema.targets {
            for (i, field) in spec.fields.enumerated() {
                let target = i == 0 ? "`\(spec.name)`" : ""
                text += "| \(target) | `\(field.name)` | \(field.type.rawValue) | \(field.help) |\n"
            }
        }
        return text
    }

    @Test func languageDocListsTheSchema() throws {
        let path = TestPaths.packageRoot + "/docs/LANGUAGE.md"
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let begin = try #require(doc.range(of: "<!-- fields:begin"))
        let afterBegin = try #require(doc.range(of: "-->\n", range: begin.upperBound..<doc.endIndex))
        let end = try #require(doc.range(of: "<!-- fields:end -->"))
        let current = String(doc[afterBegin.upperBound..<end.lowerBound])
        let wanted = Self.table()
        if Golden.recording {
            try (doc[..<afterBegin.upperBound] + wanted + doc[end.lowerBound...]).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == wanted, "docs/LANGUAGE.md's field table is out of date: RECORD=1 swift test --filter FieldsDocTests")
    }

    /// Every statement the parser knows has a line in `.help` and in LANGUAGE.md's synopsis,
    /// and every meta command a row in LANGUAGE.md's table.
    @Test func helpAndLanguageDocNameEveryStatementAndCommand() throws {
        let doc = try String(contentsOfFile: TestPaths.packageRoot + "/docs/LANGUAGE.md", encoding: .utf8)
        let help = HelpText.overview()
        for name in Grammar.statementNames {
            #expect(HelpText.statements.contains { $0.name == name }, "\(name) in .help")
            #expect(help.contains("\n  \(name) "), "\(name) in .help")
            #expect(doc.contains("\n\(name) "), "\(name) in LANGUAGE.md's synopsis")
        }
        for command in MetaCommands.all {
            #expect(doc.contains("`.\(command.name)"), ".\(command.name) in LANGUAGE.md")
        }
    }
}
