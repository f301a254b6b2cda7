/// One line of an article as the reader classified it; the text is `range` in the issue's bytes.
public struct Block: Hashable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// One line of the article's title block (1–3 lines).
        case title
        /// A short line inside the body: kept with the article, not a paragraph.
        case subheading
        /// A body paragraph; the last one ends before its source parenthetical.
        case paragraph
    }

    /// The trimmed text of the line (for a paragraph with a source, without the source).
    public var range: ByteRange
    /// 1-based line number in the file.
    public var line: Int32
    /// What the line is.
    public var kind: Kind
}

/// A section: from a marker line (`· 金融工作`, `•`, `●`, `【金融工作】`) to the next one.
public struct Section: Hashable, Sendable {
    /// The section name, trimmed.
    public var name: ByteRange
    /// 1-based position of the section in its issue.
    public var ordinal: Int32
    /// 1-based line number of the marker.
    public var line: Int32
    /// Indices into the issue's `articles`.
    public var articles: Range<Int32>
}

/// An article: a title block, a body of paragraphs and sub-headings, and a source.
public struct Article: Hashable, Sendable {
    /// Index into the issue's `sections`.
    public var section: Int32
    /// Indices into the issue's `blocks`: the title lines first, then the body in order.
    public var blocks: Range<Int32>
    /// How many of `blocks` are title lines (0–3).
    public var titleCount: Int32
    /// How many of `blocks` are paragraphs.
    public var paragraphCount: Int32
    /// How many of `blocks` are sub-headings.
    public var subheadingCount: Int32
    /// The text inside the source parentheses, with a leading `来源：`/`供稿：` dropped;
    /// nil when the article has no source.
    public var source: ByteRange?
    /// 1-based line number where the article starts.
    public var line: Int32
}

/// One bulletin file, read: its bytes and the structure found in them.
///
/// A class, immutable once read: rows refer to issues constantly, and a reference costs one
/// retain where a struct of eight arrays and strings would cost eight.
public final class Issue: Sendable {
    /// The file name without `.txt`.
    public let id: String
    /// The path as named on the command line or found below a named folder.
    public let path: String
    /// The file's text as UTF-8 (decoded when it was in another encoding or form, normalised,
    /// invalid sequences replaced with U+FFFD; a leading BOM is kept and skipped). Read from a
    /// snapshot it is a stretch of the mapped file, not a copy (docs/SNAPSHOT.md).
    public let text: IssueText
    /// From the file name, else from the header lines, else nil.
    public let date: BulletinDate?
    /// N of `YYYY年第N期` in the name or header, when present.
    public let number: Int?
    /// Lines before the first section marker.
    public let header: [ByteRange]
    public let sections: [Section]
    public let articles: [Article]
    /// Title lines, sub-headings and paragraphs of all articles, in file order.
    public let blocks: [Block]
    /// The text encoding the file was read in (`UTF-8`, `GB18030`, `UTF-16LE` …); nil for
    /// Word and PDF files, whose text is not a byte encoding of the file.
    public let encoding: String?
    /// What the file was: `text`, `docx`, `pdf`, `html` (a whole issue as one page) or
    /// `html-articles` (pages of one article each, gathered into one issue per date).
    public let format: String

    public convenience init(id: String, path: String, text: [UInt8], date: BulletinDate?, number: Int?,
                            header: [ByteRange], sections: [Section], articles: [Article], blocks: [Block],
                            encoding: String? = "UTF-8", format: String = "text") {
        self.init(id: id, path: path, text: IssueText(text), date: date, number: number, header: header,
                  sections: sections, articles: articles, blocks: blocks, encoding: encoding, format: format)
    }

    public init(id: String, path: String, text: IssueText, date: BulletinDate?, number: Int?,
                header: [ByteRange], sections: [Section], articles: [Article], blocks: [Block],
                encoding: String?, format: String) {
        self.id = id
        self.path = path
        self.text = text
        self.date = date
        self.number = number
        self.header = header
        self.sections = sections
        self.articles = articles
        self.blocks = blocks
        self.encoding = encoding
        self.format = format
    }

    /// The header lines joined with one space.
    public var title: String {
        header.map { string($0) }.joined(separator: " ")
    }

    /// Makes a `String` of a range of this issue's text.
    public func string(_ range: ByteRange) -> String {
        guard !range.isEmpty else { return "" }
        return text.withUnsafeBufferPointer { p in
            String(decoding: UnsafeBufferPointer(rebasing: p[range.lower..<range.upper]), as: UTF8.self)
        }
    }

    public func sectionName(_ index: Int) -> String { string(sections[index].name) }

    /// The article's blocks of one kind, in order.
    public func blocks(of article: Article, _ kind: Block.Kind) -> [Block] {
        blocks[Int(article.blocks.lowerBound)..<Int(article.blocks.upperBound)].filter { $0.kind == kind }
    }

    public func titleLines(of article: Article) -> [String] {
        blocks(of: article, .title).map { string($0.range) }
    }

    public func title(of article: Article) -> String { titleLines(of: article).joined(separator: " ") }

    /// The reporting organisations: the source split on `、`, `，`, `,` and `/`.
    public func sources(of article: Article) -> [String] {
        guard let source = article.source else { return [] }
        return SourceParser.split(string(source))
    }

    /// Characters (Unicode scalars) in the article's paragraphs.
    public func characterCount(of article: Article) -> Int {
        text.withUnsafeBufferPointer { p in
            var total = 0
            for i in article.blocks where blocks[Int(i)].kind == .paragraph {
                let r = blocks[Int(i)].range
                total += UTF8Text.scalarCount(p, r.lower, r.upper)
            }
            return total
        }
    }
}
