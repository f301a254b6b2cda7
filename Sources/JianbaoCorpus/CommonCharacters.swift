/// The most frequent characters of Chinese text, in simplified and traditional forms, for
/// telling GB18030 from Big5: text decoded with the right one is full of them, text decoded
/// with the wrong one is a scatter of rare characters (FORMAT.md "Encodings").
enum CommonCharacters {
    /// General frequency lists' top characters, then those of bulletins (figures, units,
    /// organisations); where the traditional form differs, both are listed.
    static let list = """
        的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出也得里裡後后自之会會
        那能对對着著事其所去行过過家十用发發天如然作方成者多日都三小二无無同经經法当當起与與好看学學进進
        种種将將还還分此心前面又定见見只主没沒公从從已知全部并並本高理外开開现現两兩正机機等何长長最明通
        向关關表利实實感量年月亿億万萬元增比同期企业業国资資委集团團公司发展展改革创創新工作会议議市省区區
        重点點建设設经济濟产產品生服务務管理项項目资金金融投资市场場规規模收入利润潤总總额額长率完成推
        动動加强強合作提升实现落实全面推进开展组織织领領导導单單位部门門政府人民社会會党黨
        """
    /// One bit per BMP code point: the list, for a lookup per character without hashing
    /// (`jb_convert_to_utf8` counts the common ideographs by it as it writes the text).
    static let bits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for s in list.unicodeScalars where s.value >= 0x3400 && s.value < 0x10000 {
            bits[Int(s.value) >> 6] |= 1 << UInt64(s.value & 63)
        }
        return bits
    }()
}
