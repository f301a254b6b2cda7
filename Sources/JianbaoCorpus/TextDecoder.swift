import CBytes
import CConvert
import CLoader
#if canImport(Glibc)
import Glibc
#endif

/// Tells what encoding a text file is in and turns it into UTF-8 (FORMAT.md "Encodings").
///
/// UTF-8 is the fast path: a file that validates is returned as it is, never converted.
/// Everything else goes through ICU's converters; the choice between GB18030 and Big5 is a
/// rule of ours on top of strict decoding (which of the two decodes cleanly and reads as
/// common Chinese), with ICU's detector only naming a guess for files that are neither.
public enum TextDecoder {
    /// The result of decoding one file.
    public enum Outcome {
        /// UTF-8 text (raw bytes when the file was UTF-8), the encoding's name, a warning
        /// when the encoding could not be told apart with confidence or bytes were replaced, and
        /// how many bytes at the start the normaliser would leave as they are (known for UTF-8
        /// files, whose validation notes it on the way; 0 for converted text).
        case text([UInt8], encoding: String, warning: String?, unchanged: Int = 0)
        /// UTF-8 with ill-formed sequences here and there: the reader repairs it, reporting
        /// each place.
        case damagedUTF8
        /// The file is not text in any encoding this reader knows: the reason.
        case failure(String)
    }

    /// How many bytes the detection looks at: enough for a bulletin's first pages.
    static let sampleBytes = 1 << 16

    /// The encoding of `raw` and its text as UTF-8. `forced` (an ICU converter name, from
    /// `--encoding`) is used for every file that has no BOM and is not valid UTF-8.
    public static func decode(_ raw: [UInt8], forced: String? = nil) -> Outcome {
        if let (name, skip) = bom(raw) {
            if name == "UTF-8" {
                let (valid, unchanged) = checkUTF8(raw)
                return valid ? .text(raw, encoding: "UTF-8", warning: nil, unchanged: unchanged) : .damagedUTF8
            }
            return convert(raw, from: name, skipping: skip).map { .text($0, encoding: name, warning: nil) }
                ?? .failure("cannot convert from \(name)")
        }
        // One pass for the common case: valid UTF-8 that the normaliser leaves alone has no NUL
        // either, which is looked for only from the first byte that is not plain text.
        let (validUTF8, unchanged) = checkUTF8(raw)
        if validUTF8 && unchanged == raw.count { return .text(raw, encoding: "UTF-8", warning: nil, unchanged: unchanged) }
        let nul = raw.withUnsafeBufferPointer { p -> Bool in
            guard let base = p.baseAddress else { return false }
            return memchr(base + unchanged, 0, p.count - unchanged) != nil
        }
        if nul {
            if let utf16 = utf16ByNulPattern(raw) {
                return convert(raw, from: utf16).map { .text($0, encoding: utf16, warning: nil) }
                    ?? .failure("cannot convert from \(utf16)")
            }
            if let forced { return decodeForced(raw, forced) }
            let offset = raw.withUnsafeBufferPointer { p in
                UnsafeRawPointer(memchr(p.baseAddress!, 0, p.count)!) - UnsafeRawPointer(p.baseAddress!)
            }
            return .failure("binary file (NUL byte at offset \(offset)); skipped")
        }
        if validUTF8 { return .text(raw, encoding: "UTF-8", warning: nil, unchanged: unchanged) }
        if let forced { return decodeForced(raw, forced) }
        // A count that stopped early (the file is clearly not UTF-8) cannot pass this test.
        let (valid, invalid, complete) = utf8Counts(raw, settle: true)
        if valid >= 4 * invalid && valid > 0 { return .damagedUTF8 }
        let guess = guessChinese(raw)
        // Neither GB18030 nor Big5, but some real UTF-8 characters: UTF-8 that is badly damaged,
        // repaired with a warning at each place as before (a file in another encoding has no
        // well-formed multi-byte UTF-8 at all, or only by rare accident).
        if case .failure = guess, valid > 0 || (!complete && utf8Counts(raw, settle: false).valid > 0) {
            return .damagedUTF8
        }
        return guess
    }

    /// Whether `raw` is well-formed UTF-8, and the offset of the first scalar the normaliser may
    /// change (`jb_utf8_find_invalid_noting`; where validation stopped when none is before).
    static func checkUTF8(_ raw: [UInt8]) -> (valid: Bool, unchanged: Int) {
        var badLength = 0, change = 0
        let end = raw.withUnsafeBufferPointer { p in
            p.baseAddress.map { jb_utf8_find_invalid_noting($0, p.count, &badLength, &change) } ?? 0
        }
        return (end == raw.count, change)
    }

    /// The encoding a byte order mark names, and the mark's length.
    static func bom(_ raw: [UInt8]) -> (String, Int)? {
        if raw.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", 3) }
        if raw.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("UTF-32LE", 4) }
        if raw.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("UTF-32BE", 4) }
        if raw.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2) }
        if raw.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2) }
        if raw.starts(with: [0x84, 0x31, 0x95, 0x33]) { return ("GB18030", 4) }
        return nil
    }

    /// UTF-16 without a BOM, told by its NULs: ASCII characters (line ends, digits) have a NUL
    /// high byte. Both byte orders are counted on the first 64 KB and the one that reads as
    /// text (ASCII, CJK ideographs and punctuation) wins, so that U+3000 and 一 (U+4E00), whose
    /// low byte is NUL, do not mislead. The counting reads the 16-bit units in place, as ICU
    /// would decode them (`jb_utf16_counts`), so the file is converted once, in the order found.
    static func utf16ByNulPattern(_ raw: [UInt8]) -> String? {
        guard raw.count >= 2 else { return nil }
        let sample = min(raw.count, sampleBytes)
        var best: (name: String, share: Double)?
        // An order whose text cannot reach 80% plausible is out whatever the other reads as:
        // its count stops once a fifth of the sample's scalars (at most one a unit) are not.
        let giveUp = (sample + 1) / 2 / 5
        for (name, bigEndian) in [("UTF-16LE", false), ("UTF-16BE", true)] {
            let (counts, errors, complete) = utf16Counts(raw[..<sample], bigEndian: bigEndian, giveUp: giveUp)
            guard complete, errors <= 1 else { continue }
            let share = counts.plausibleShare
            if share > (best?.share ?? 0) { best = (name, share) }
            // Text that reads this well in the first order needs no second try.
            if share >= 0.98 { break }
        }
        guard let best, best.share >= 0.8 else { return nil }
        return best.name
    }

    /// What ICU would decode from `raw` as UTF-16 in that byte order, counted in place
    /// (`jb_utf16_counts`); the count stops (`complete` false) past `giveUp` implausible scalars.
    static func utf16Counts(_ raw: ArraySlice<UInt8>, bigEndian: Bool, giveUp: Int = .max) -> (counts: jb_text_counts, errors: Int, complete: Bool) {
        var counts = jb_text_counts(), errors = 0
        let complete = raw.withUnsafeBufferPointer {
            jb_utf16_counts($0.baseAddress, $0.count, bigEndian ? 1 : 0, giveUp, &counts, &errors)
        }
        return (counts, errors, complete != 0)
    }

    /// Well-formed multi-byte UTF-8 characters and ill-formed runs in the first 256 KB: a file
    /// whose valid ones outnumber the ill-formed four to one is UTF-8 with some damage rather
    /// than another encoding. With `settle` the count stops (`complete` false) once that can
    /// no longer be: in GBK text about a quarter of the way in.
    static func utf8Counts(_ raw: [UInt8], settle: Bool) -> (valid: Int, invalid: Int, complete: Bool) {
        var valid = 0, invalid = 0
        let complete = raw.withUnsafeBufferPointer { p -> Int32 in
            guard let base = p.baseAddress else { return 1 }
            return jb_utf8_sequence_counts(base, min(p.count, sampleBytes * 4), settle ? 1 : 0, &valid, &invalid)
        }
        return (valid, invalid, complete != 0)
    }

    /// GB18030 (which covers GBK and GB2312) or Big5, by strict decoding and common characters.
    static func guessChinese(_ raw: [UInt8]) -> Outcome {
        // Cut the sample at a line end so that no character is split.
        var end = min(raw.count, sampleBytes)
        if end < raw.count, let newline = raw[..<end].lastIndex(of: 0x0A) { end = newline + 1 }
        let sample = raw[..<end]
        var texts: [String: [UInt8]] = [:]
        var scores: [Score] = []
        for name in ["GB18030", "Big5"] {
            // The text is counted as it is written: one pass over the sample for each candidate.
            guard let decoded = convertCounting(sample, from: name, counting: true) else { continue }
            let text = decoded.text
            // Bytes a converter maps to controls or private-use characters count as errors:
            // Big5's Windows table maps 0x80 and 0xFF rather than rejecting them.
            let implausible = Int((1 - decoded.counts.plausibleShare) * Double(text.count / 2))
            let score = Score(name: name, errors: decoded.errors + implausible, common: decoded.counts.commonShare)
            scores.append(score)
            texts[name] = text
            // GB18030 that decodes cleanly into common characters is settled: Big5 text read as
            // GB18030 is a scatter of rare characters (well under 5% common ones).
            if name == "GB18030", score.errors == 0, score.common >= 0.12 { break }
        }
        guard let best = scores.min(by: { $0.rank < $1.rank }) else { return .failure("cannot convert") }
        let other = scores.first { $0.name != best.name }
        let characters = max(1, sample.count / 2)
        if best.errors * 100 > characters {
            return .failure("not UTF-8, UTF-16, GB18030 or Big5\(icuGuess(raw)); skipped (name the encoding with --encoding NAME)")
        }
        let clear = other.map { $0.errors > best.errors * 4 + 2 || ($0.errors == best.errors && best.common >= 2 * $0.common + 0.05) } ?? true
        let sure = clear && best.common >= 0.05
        // The sample's conversion is the start of the text: the sample ends after a line feed,
        // which is one byte in both encodings and never part of another character, so the rest
        // converts on its own to what converting the whole file would give after it.
        guard let start = texts[best.name], let rest = end == raw.count ? [] : convertCounting(raw[end...], from: best.name)?.text else {
            return .failure("cannot convert from \(best.name)")
        }
        let text = rest.isEmpty ? start : start + rest
        let alternative = other?.name ?? "another encoding"
        let warning = sure ? nil : "encoding not certain: read as \(best.name), could be \(alternative); if the text looks wrong, load it with --encoding \(alternative) (in the shell: .load --encoding \(alternative) PATH)"
        return .text(text, encoding: best.name, warning: warning)
    }

    /// A candidate's showing on the sample.
    struct Score {
        var name: String
        var errors: Int
        var common: Double
        /// Fewer errors first, then the larger share of common characters.
        var rank: (Int, Double) { (errors, -common) }
    }

    /// ICU's detector's guess, as a parenthetical for a message, or "" (also when
    /// libJianbaoForms.so, which holds the detector, cannot be opened).
    static func icuGuess(_ raw: [UInt8]) -> String {
        var name = [CChar](repeating: 0, count: 64)
        let confidence = raw.withUnsafeBufferPointer { jb_forms_loaded_detect_charset($0.baseAddress, $0.count, &name, 64) }
        guard confidence >= 10 else { return "" }
        let guess = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return " (ICU's detector guesses \(guess))"
    }

    static func decodeForced(_ raw: [UInt8], _ name: String) -> Outcome {
        guard let (text, errors) = convertCounting(raw, from: name) else {
            return .failure("ICU has no converter named '\(name)'")
        }
        let canonical = canonicalName(name)
        let warning = errors > 0 ? "\(counted(errors, "byte sequence")) not valid in \(canonical) replaced with U+FFFD" : nil
        return .text(text, encoding: canonical, warning: warning)
    }

    /// ICU's name for an encoding alias (`gbk` → `GBK`), or the alias itself.
    public static func canonicalName(_ name: String) -> String {
        let known: [String: String] = ["gb18030": "GB18030", "gbk": "GBK", "gb2312": "GB2312", "big5": "Big5",
                                       "utf-8": "UTF-8", "utf8": "UTF-8", "utf-16le": "UTF-16LE", "utf-16be": "UTF-16BE"]
        if let name = known[name.lowercased()] { return name }
        var buffer = [CChar](repeating: 0, count: 128)
        guard jb_encoding_canonical(name, &buffer, 128) == 0 else { return name }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether ICU can convert from this encoding name.
    public static func isKnown(_ name: String) -> Bool { jb_encoding_known(name) != 0 }

    /// The encoding to give ICU for a name a page or user writes: `gb2312` and `gbk` mean
    /// GB18030 (pages declare gb2312 and use GBK characters), `big5` the Big5 converter.
    public static func converterName(_ name: String) -> String {
        switch name.lowercased() {
        case "gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "windows-936", "euc-cn", "hz-gb-2312": "GB18030"
        default: name
        }
    }

    static func convert(_ raw: [UInt8], from name: String, skipping skip: Int = 0) -> [UInt8]? {
        convertCounting(raw[skip...], from: name)?.text
    }

    /// The bytes as UTF-8 and how many sequences were not valid in the encoding.
    static func convertCounting(_ raw: [UInt8], from name: String) -> ([UInt8], Int)? {
        convertCounting(raw[...], from: name).map { ($0.text, $0.errors) }
    }

    /// A conversion: the UTF-8 text, the sequences not valid in the encoding, and what the
    /// text is made of when it was counted.
    struct Decoded {
        var text: [UInt8]
        var errors: Int
        var counts: jb_text_counts
    }

    /// The bytes as UTF-8 through ICU's converter `name`, counted on the way when `counting`;
    /// nil when ICU has no such converter.
    static func convertCounting(_ raw: ArraySlice<UInt8>, from name: String, counting: Bool = false) -> Decoded? {
        if raw.isEmpty { return isKnown(converterName(name)) ? Decoded(text: [], errors: 0, counts: jb_text_counts()) : nil }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0, errors = 0, first = -1
        var counts = jb_text_counts()
        let status = raw.withUnsafeBufferPointer { p in
            CommonCharacters.bits.withUnsafeBufferPointer { common in
                withUnsafeMutablePointer(to: &counts) { counted in
                    jb_convert_to_utf8(converterName(name), p.baseAddress, p.count, common.baseAddress,
                                       &out, &length, &errors, &first, counting ? counted : nil)
                }
            }
        }
        guard status == 0 else { return nil }
        defer { jb_convert_free(out) }
        guard let out else { return Decoded(text: [], errors: errors, counts: counts) }
        return Decoded(text: Array(UnsafeBufferPointer(start: out, count: length)), errors: errors, counts: counts)
    }
}

extension jb_text_counts {
    /// The share of scalars that text in Chinese bulletins is made of (0 for no text).
    var plausibleShare: Double { scalars == 0 ? 0 : Double(plausible) / Double(scalars) }
    /// The share of ideographs that are among the most common Chinese characters (0 for none).
    var commonShare: Double { ideographs == 0 ? 0 : Double(common) / Double(ideographs) }
}
