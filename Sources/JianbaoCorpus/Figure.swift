#if canImport(Glibc)
import Glibc
#endif

/// A reported number with its unit, named by the metric it measures (FORMAT.md "Figures").
///
/// `span` and `changeUnit` are kept as two-byte codes in the gap after `unitCode`, and
/// `cumulative` in the one after `changeAbsolute`: a figure is 192 bytes rather than 232,
/// and the 820,000 of the 10,000-issue archive take 33 MB less (docs/BENCHMARKS.md).
public struct Figure: Sendable, Equatable {
    /// Index of the article in its issue.
    public var article: Int32
    /// Index of the paragraph in the blocks.
    public var block: Int32
    /// The measured thing, as written (`营业收入`).
    public var metric: String
    /// The number as written, magnitude word dropped (`3.65`).
    public var value: Double
    /// Magnitude and unit as indices into the lexicon's word lists (magnitude + 1 in the high
    /// half, 0 for none; unit in the low half): a figure carries no strings for them.
    public var unitCode: UInt32
    /// `span` and `changeUnit` as codes in `FigureLabels`.
    var spanCode: UInt16
    var changeUnitCode: UInt16
    /// `value` in base units (`3.65e12`).
    public var amount: Double
    /// Hedges and bounds as written, in text order (`累计超过`), or "".
    public var qualifier: String
    /// Signed percent change (`+0.8`), 0 for 持平, nil when none is given.
    public var change: Double?
    /// The year the figure describes.
    public var period: Int?
    /// Who it belongs to (`本市地方国有企业`), or "".
    public var subject: String
    /// The figure's words, from the metric to the unit, in the bytes.
    public var text: ByteRange
    /// The sentence it stands in.
    public var sentence: ByteRange
    /// The upper bound of a range (`3至5亿元` → 5), in the unit of `value`; nil for one number.
    public var valueHigh: Double? = nil
    /// What the change compares with: `同比` (also when unstated), `环比`, `比年初`, `较YYYY年`,
    /// `两年平均`; "" when there is no change.
    public var changeBasis: String = ""
    /// An absolute change in the figure's unit (`较上年增加12家` → +12), nil when none.
    public var changeAbsolute: Double? = nil
    /// A running total (`累计`): never silently part of a yearly series.
    public var cumulative: Bool = false
    /// The article's first reporting organisation, or "".
    public var source: String = ""

    /// How the change was written: `%`, `个百分点` or `倍` (`change` then holds the percent:
    /// 增长1.2倍 is +120); "" when there is no change.
    public var changeUnit: String {
        get { FigureLabels.shared.label(changeUnitCode) }
        set { changeUnitCode = FigureLabels.shared.code(newValue) }
    }

    /// The stretch of time the figure covers: `year`, `h1`, `h2`, `q1`…`q4`, `ytd-M`, `month`,
    /// or "" when the text does not say.
    public var span: String {
        get { FigureLabels.shared.label(spanCode) }
        set { spanCode = FigureLabels.shared.code(newValue) }
    }

    public init(article: Int32, block: Int32, metric: String, value: Double, unitCode: UInt32, amount: Double, qualifier: String,
                change: Double?, period: Int?, subject: String, text: ByteRange, sentence: ByteRange, valueHigh: Double? = nil,
                changeBasis: String = "", changeUnit: String = "", changeAbsolute: Double? = nil, span: String = "",
                cumulative: Bool = false, source: String = "") {
        self.article = article
        self.block = block
        self.metric = metric
        self.value = value
        self.unitCode = unitCode
        spanCode = FigureLabels.shared.code(span)
        changeUnitCode = FigureLabels.shared.code(changeUnit)
        self.amount = amount
        self.qualifier = qualifier
        self.change = change
        self.period = period
        self.subject = subject
        self.text = text
        self.sentence = sentence
        self.valueHigh = valueHigh
        self.changeBasis = changeBasis
        self.changeAbsolute = changeAbsolute
        self.cumulative = cumulative
        self.source = source
    }

    /// Magnitude and unit as written (`万亿元`).
    public var unit: String { Self.unit(of: unitCode) }

    /// The unit without its magnitude (`元`; `%` for `％`).
    public var base: String { Self.base(of: unitCode) }

    /// The unit a unit code stands for, with its magnitude.
    static func unit(of unitCode: UInt32) -> String {
        let lexicon = Lexicon.current
        let magnitude = unitCode >> 16
        let unit = lexicon.unitWords.strings[Int(unitCode & 0xFFFF)]
        return magnitude == 0 ? unit : lexicon.magnitudeWords.strings[Int(magnitude - 1)] + unit
    }

    /// The base unit a unit code stands for.
    @inline(__always)
    static func base(of unitCode: UInt32) -> String { bases[Int(unitCode & 0xFFFF)] }

    /// The base of each unit of the lexicons in force, made once: making one compares the
    /// unit with ％ and 人民币 (slow comparisons of non-ASCII text), and `metric … by year`
    /// asks twice for each of its figures.
    private static let bases: [String] = Lexicon.current.unitWords.strings.map(Quantity.baseUnit)
}

/// The short labels figures keep as codes (`span`, `change_unit`): every value the extractor
/// writes is listed, so reading one is an array index; another value set through the
/// properties is added once, under a lock.
final class FigureLabels: @unchecked Sendable {
    static let shared = FigureLabels()
    /// The listed labels; code = index.
    private let listed: [String]
    /// Labels added later, after the listed ones.
    private var added: [String] = []
    private var mutex = pthread_mutex_t()

    private init() {
        let spans = ["year", "h1", "h2", "q1", "q2", "q3", "q4", "month"] + (1...12).map { "ytd-\($0)" }
        // The commonest first: a label is looked for in order.
        listed = ["", "%", "个百分点", "倍"] + spans
        pthread_mutex_init(&mutex, nil)
    }

    @inline(__always)
    func label(_ code: UInt16) -> String {
        if Int(code) < listed.count { return listed[Int(code)] }
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return added[Int(code) - listed.count]
    }

    /// Compared by length first, then as strings (equal short strings compare by their bits):
    /// no `String` is hashed or normalised for each figure made.
    func code(_ label: String) -> UInt16 {
        if label.isEmpty { return 0 }
        if let k = Self.index(of: label, in: listed) { return UInt16(k) }
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let k = Self.index(of: label, in: added) { return UInt16(listed.count + k) }
        precondition(listed.count + added.count < Int(UInt16.max), "more than 65,535 distinct figure labels")
        added.append(label)
        return UInt16(listed.count + added.count - 1)
    }

    private static func index(of label: String, in labels: [String]) -> Int? {
        let count = label.utf8.count
        return labels.firstIndex { $0.utf8.count == count && $0 == label }
    }
}
