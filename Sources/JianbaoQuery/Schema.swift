import JianbaoCorpus

/// Every field name the language knows; a target lists the ones it has.
public enum Field: String, CaseIterable, Sendable {
    case id, file, date, year, number, title, sections, articles, chars
    case issue, name, ordinal
    case section, titleLines = "title_lines", subheadings, source, sources, paragraphs, body
    case article, n, text
    case issues, first, last
    case encoding, format
    case metric, value, unit, amount, base, change, qualifier, period, subject, sentence
    case changeBasis = "change_basis", changeUnit = "change_unit", changeAbs = "change_abs", span
    case valueHigh = "value_high", cumulative, sentenceN = "sentence_n", subjectKey = "subject_key"
}

/// What kind of values a field holds; the resolver checks comparisons against it.
public enum FieldType: String, Sendable {
    case text, integer, number, date, list
}

/// One field of one target: its name, type and the help text `.fields` and docs show.
public struct FieldSpec: Sendable {
    public let field: Field
    public let type: FieldType
    public let help: String
    public var name: String { field.rawValue }
}

/// The things a statement can select or count.
public enum Target: String, CaseIterable, Sendable {
    case issues, sections, articles, paragraphs, sentences, figures, sources
}

/// A target with its fields and help: the one table the resolver, `.fields`, `.help`,
/// completion and docs/LANGUAGE.md read.
public struct TargetSpec: Sendable {
    public let target: Target
    public let help: String
    public let fields: [FieldSpec]
    public var name: String { target.rawValue }

    public func field(named name: String) -> FieldSpec? {
        let lower = name.lowercased()
        return fields.first { $0.name == lower }
    }
}

public enum Schema {
    public static let targets: [TargetSpec] = [
        TargetSpec(target: .issues, help: "one row per bulletin file", fields: [
            FieldSpec(field: .id, type: .text, help: "file name without its extension (.txt, .docx, .pdf, .html); the date for gathered web pages"),
            FieldSpec(field: .file, type: .text, help: "path of the file as loaded"),
            FieldSpec(field: .date, type: .date, help: "issue date from the file name or header (2024, 2024-03 or 2024-03-15)"),
            FieldSpec(field: .year, type: .integer, help: "year of the issue date"),
            FieldSpec(field: .number, type: .integer, help: "N of 第N期 in the name or header"),
            FieldSpec(field: .title, type: .text, help: "header lines before the first section, joined with a space"),
            FieldSpec(field: .sections, type: .integer, help: "number of sections"),
            FieldSpec(field: .articles, type: .integer, help: "number of articles"),
            FieldSpec(field: .chars, type: .integer, help: "characters in the articles' paragraphs"),
            FieldSpec(field: .encoding, type: .text, help: "text encoding the file was read in (UTF-8, GB18030, UTF-16LE, Big5 …); null for Word and PDF"),
            FieldSpec(field: .format, type: .text, help: "text, docx, pdf, html (a whole issue as one page) or html-articles (one issue per date of article pages)"),
        ]),
        TargetSpec(target: .sections, help: "one row per section of an issue", fields: [
            FieldSpec(field: .issue, type: .text, help: "issue id"),
            FieldSpec(field: .date, type: .date, help: "issue date"),
            FieldSpec(field: .name, type: .text, help: "section name (重要动态, 金融工作 …)"),
            FieldSpec(field: .ordinal, type: .integer, help: "position of the section in its issue, from 1"),
            FieldSpec(field: .articles, type: .integer, help: "number of articles in the section"),
        ]),
        TargetSpec(target: .articles, help: "one row per article", fields: [
            FieldSpec(field: .id, type: .integer, help: "article id, stable for a given corpus"),
            FieldSpec(field: .issue, type: .text, help: "issue id"),
            FieldSpec(field: .date, type: .date, help: "issue date"),
            FieldSpec(field: .year, type: .integer, help: "year of the issue date"),
            FieldSpec(field: .section, type: .text, help: "section name"),
            FieldSpec(field: .title, type: .text, help: "title lines joined with a space"),
            FieldSpec(field: .titleLines, type: .list, help: "the title lines, kept apart"),
            FieldSpec(field: .subheadings, type: .integer, help: "number of sub-headings"),
            FieldSpec(field: .source, type: .text, help: "first reporting organisation"),
            FieldSpec(field: .sources, type: .list, help: "all reporting organisations"),
            FieldSpec(field: .paragraphs, type: .integer, help: "number of paragraphs"),
            FieldSpec(field: .chars, type: .integer, help: "characters in the paragraphs"),
            FieldSpec(field: .body, type: .text, help: "the paragraphs, one per line"),
        ]),
        TargetSpec(target: .paragraphs, help: "one row per paragraph (sub-headings are not paragraphs)", fields: [
            FieldSpec(field: .article, type: .integer, help: "article id"),
            FieldSpec(field: .issue, type: .text, help: "issue id"),
            FieldSpec(field: .section, type: .text, help: "section name"),
            FieldSpec(field: .n, type: .integer, help: "position in the article, from 1"),
            FieldSpec(field: .text, type: .text, help: "the paragraph (the source parenthetical left out)"),
            FieldSpec(field: .chars, type: .integer, help: "characters in the paragraph"),
            FieldSpec(field: .date, type: .date, help: "issue date"),
            FieldSpec(field: .year, type: .integer, help: "year of the issue date"),
        ]),
        TargetSpec(target: .sentences, help: "one row per sentence, split on 。！？；", fields: [
            FieldSpec(field: .article, type: .integer, help: "article id"),
            FieldSpec(field: .issue, type: .text, help: "issue id"),
            FieldSpec(field: .section, type: .text, help: "section name"),
            FieldSpec(field: .n, type: .integer, help: "position in the article, from 1"),
            FieldSpec(field: .text, type: .text, help: "the sentence with its final punctuation"),
            FieldSpec(field: .date, type: .date, help: "issue date"),
            FieldSpec(field: .year, type: .integer, help: "year of the issue date"),
        ]),
        TargetSpec(target: .figures, help: "one row per reported number with its unit (docs/FIGURES.md)", fields: [
            FieldSpec(field: .article, type: .integer, help: "article id"),
            FieldSpec(field: .issue, type: .text, help: "issue id"),
            FieldSpec(field: .date, type: .date, help: "issue date"),
            FieldSpec(field: .year, type: .integer, help: "year of the issue date"),
            FieldSpec(field: .section, type: .text, help: "section name"),
            FieldSpec(field: .metric, type: .text, help: "the measured thing, as written (营业收入)"),
            FieldSpec(field: .value, type: .number, help: "the number as written, magnitude dropped (3.65)"),
            FieldSpec(field: .unit, type: .text, help: "magnitude and unit as written (万亿元)"),
            FieldSpec(field: .amount, type: .number, help: "the value in base units (3650000000000); compare with amounts such as 1000亿元"),
            FieldSpec(field: .base, type: .text, help: "the unit without magnitude (元)"),
            FieldSpec(field: .valueHigh, type: .number, help: "upper bound of a range (3至5亿元 → 5), in the unit of value"),
            FieldSpec(field: .change, type: .number, help: "signed change (同比增长0.8% → 0.8; 增长1.2倍 → 120), 0 for 持平"),
            FieldSpec(field: .changeBasis, type: .text, help: "what the change compares with: 同比, 环比, 比年初, 较2019年, 两年平均"),
            FieldSpec(field: .changeUnit, type: .text, help: "how the change was written: %, 个百分点 or 倍"),
            FieldSpec(field: .changeAbs, type: .number, help: "absolute change in the figure's unit (较上年增加12家 → 12)"),
            FieldSpec(field: .qualifier, type: .text, help: "hedges and bounds as written (约, 累计超过, 达到…以上)"),
            FieldSpec(field: .period, type: .integer, help: "the year the figure describes"),
            FieldSpec(field: .span, type: .text, help: "the stretch of it: year, h1, h2, q1-q4, ytd-M (1-M月), month, or empty"),
            FieldSpec(field: .cumulative, type: .integer, help: "1 for a running total (累计), else 0"),
            FieldSpec(field: .subject, type: .text, help: "who it belongs to (本市地方国有企业)"),
            FieldSpec(field: .subjectKey, type: .text, help: "the subject's canonical name (organisations.txt: 市国资委 → 上海市国资委)"),
            FieldSpec(field: .source, type: .text, help: "the article's first reporting organisation"),
            FieldSpec(field: .text, type: .text, help: "the figure's words as written, metric to unit"),
            FieldSpec(field: .sentence, type: .text, help: "the sentence it stands in"),
            FieldSpec(field: .sentenceN, type: .integer, help: "position of that sentence in the article, from 1 (the n of sentences)"),
        ]),
        TargetSpec(target: .sources, help: "one row per reporting organisation", fields: [
            FieldSpec(field: .name, type: .text, help: "organisation as written in the source"),
            FieldSpec(field: .articles, type: .integer, help: "articles it reported"),
            FieldSpec(field: .issues, type: .integer, help: "issues it appears in"),
            FieldSpec(field: .first, type: .date, help: "earliest dated issue it appears in"),
            FieldSpec(field: .last, type: .date, help: "latest dated issue it appears in"),
        ]),
    ]

    public static func spec(_ target: Target) -> TargetSpec {
        targets.first { $0.target == target }!
    }

    public static func target(named name: String) -> TargetSpec? {
        let lower = name.lowercased()
        return targets.first { $0.name == lower }
    }
}
