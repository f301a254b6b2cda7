/// A reported number with its unit, named by the metric it measures (FORMAT.md "Figures").
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
    /// How the change was written: `%`, `个百分点` or `倍` (`change` then holds the percent:
    /// 增长1.2倍 is +120); "" when there is no change.
    public var changeUnit: String = ""
    /// An absolute change in the figure's unit (`较上年增加12家` → +12), nil when none.
    public var changeAbsolute: Double? = nil
    /// The stretch of time the figure covers: `year`, `h1`, `h2`, `q1`…`q4`, `ytd-M`, `month`,
    /// or "" when the text does not say.
    public var span: String = ""
    /// A running total (`累计`): never silently part of a yearly series.
    public var cumulative: Bool = false
    /// The article's first reporting organisation, or "".
    public var source: String = ""

    /// Magnitude and unit as written (`万亿元`).
    public var unit: String {
        let lexicon = Lexicon.current
        let magnitude = unitCode >> 16
        let unit = lexicon.unitWords.strings[Int(unitCode & 0xFFFF)]
        return magnitude == 0 ? unit : lexicon.magnitudeWords.strings[Int(magnitude - 1)] + unit
    }

    /// The unit without its magnitude (`元`; `%` for `％`).
    public var base: String {
        Quantity.baseUnit(Lexicon.current.unitWords.strings[Int(unitCode & 0xFFFF)])
    }
}
