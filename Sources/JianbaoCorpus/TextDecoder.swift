import CBytes
import CConvert
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
        /// UTF-8 text (raw bytes when the file was UTF-8), the encoding's name, and a warning
        /// when the encoding could not be told apart with confidence or bytes were replaced.
        case text([UInt8], encoding: String, warning: String?)
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
        var badLength = 0
        let validUTF8 = { () -> Bool in
            raw.withUnsafeBufferPointer { p in
                p.baseAddress.map { jb_utf8_find_invalid($0, p.count, &badLength) } ?? 0
            } == raw.count
        }
        if let (name, skip) = bom(raw) {
            if name == "UTF-8" { return validUTF8() ? .text(raw, encoding: "UTF-8", warning: nil) : .damagedUTF8 }
            return convert(raw, from: name, skipping: skip).map { .text($0, encoding: name, warning: nil) }
                ?? .failure("cannot convert from \(name)")
        }
        let nul = raw.withUnsafeBufferPointer { p -> Bool in
            guard let base = p.baseAddress else { return false }
            return memchr(base, 0, p.count) != nil
        }
        if nul {
            if let (utf16, whole) = utf16ByNulPattern(raw) {
                if let whole { return .text(whole, encoding: utf16, warning: nil) }
                return convert(raw, from: utf16).map { .text($0, encoding: utf16, warning: nil) }
                    ?? .failure("cannot convert from \(utf16)")
            }
            if let forced { return decodeForced(raw, forced) }
            let offset = raw.withUnsafeBufferPointer { p in
                UnsafeRawPointer(memchr(p.baseAddress!, 0, p.count)!) - UnsafeRawPointer(p.baseAddress!)
            }
            return .failure("binary file (NUL byte at offset \(offset)); skipped")
        }
        if validUTF8() { return .text(raw, encoding: "UTF-8", warning: nil) }
        if let forced { return decodeForced(raw, forced) }
        let (valid, invalid) = utf8Counts(raw)
        if valid >= 4 * invalid && valid > 0 { return .damagedUTF8 }
        let guess = guessChinese(raw)
        // Neither GB18030 nor Big5, but some real UTF-8 characters: UTF-8 that is badly damaged,
        // repaired with a warning at each place as before (a file in another encoding has no
        // well-formed multi-byte UTF-8 at all, or only by rare accident).
        if case .failure = guess, valid > 0 { return .damagedUTF8 }
        return guess
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
    /// high byte. Both byte orders are decoded and the one that reads as text (ASCII, CJK
    /// ideographs and punctuation) wins, so that U+3000 and 一 (U+4E00), whose low byte is NUL,
    /// do not mislead.
    /// The byte order, and the whole text when the sample was the whole file.
    static func utf16ByNulPattern(_ raw: [UInt8]) -> (String, [UInt8]?)? {
        guard raw.count >= 2 else { return nil }
        let sample = Array(raw.prefix(sampleBytes))
        var best: (name: String, share: Double, text: [UInt8])?
        for name in ["UTF-16LE", "UTF-16BE"] {
            guard let (text, errors) = convertCounting(sample, from: name), errors <= 1 else { continue }
            let share = plausibleShare(text)
            if share > (best?.share ?? 0) { best = (name, share, text) }
            // Text that reads this well in the first order needs no second try.
            if share >= 0.98 { break }
        }
        guard let best, best.share >= 0.8 else { return nil }
        return (best.name, sample.count == raw.count ? best.text : nil)
    }

    /// The share of scalars that text in Chinese bulletins is made of: printable ASCII and
    /// line ends, CJK punctuation, ideographs and full-width forms.
    static func plausibleShare(_ text: [UInt8]) -> Double {
        var total = 0, plausible = 0
        CommonCharacters.forEachScalar(text) { value in
            total += 1
            switch value {
            case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0xA0...0xFF, 0x2000...0x206F, 0x3000...0x303F,
                 0x3400...0x9FFF, 0xFF00...0xFFEF, 0xFEFF: plausible += 1
            default: break
            }
        }
        return total == 0 ? 0 : Double(plausible) / Double(total)
    }

    /// Well-formed multi-byte UTF-8 characters and ill-formed runs in the first 256 KB: a file
    /// whose valid ones outnumber the ill-formed four to one is UTF-8 with some damage rather
    /// than another encoding.
    static func utf8Counts(_ raw: [UInt8]) -> (valid: Int, invalid: Int) {
        let sample = raw.prefix(sampleBytes * 4)
        var valid = 0, invalid = 0
        sample.withUnsafeBufferPointer { p in
            var at = 0
            while at < p.count {
                var bad = 0
                let offset = jb_utf8_find_invalid(p.baseAddress! + at, p.count - at, &bad)
                valid += p[at..<(at + offset)].count { $0 >= 0xC2 && $0 <= 0xF4 }
                if at + offset >= p.count { break }
                invalid += 1
                at += offset + max(bad, 1)
            }
        }
        return (valid, invalid)
    }

    /// GB18030 (which covers GBK and GB2312) or Big5, by strict decoding and common characters.
    static func guessChinese(_ raw: [UInt8]) -> Outcome {
        // Cut the sample at a line end so that no character is split.
        var end = min(raw.count, sampleBytes)
        if end < raw.count, let newline = raw[..<end].lastIndex(of: 0x0A) { end = newline + 1 }
        let sample = Array(raw[..<end])
        var texts: [String: [UInt8]] = [:]
        var scores: [Score] = []
        for name in ["GB18030", "Big5"] {
            guard let (text, errors) = convertCounting(sample, from: name) else { continue }
            // Bytes a converter maps to controls or private-use characters count as errors:
            // Big5's Windows table maps 0x80 and 0xFF rather than rejecting them.
            let implausible = Int((1 - plausibleShare(text)) * Double(text.count / 2))
            let score = Score(name: name, errors: errors + implausible, common: CommonCharacters.share(text))
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
        // The sample's conversion is the whole text when the sample was the whole file.
        guard let text = end == raw.count ? texts[best.name] : convert(raw, from: best.name) else {
            return .failure("cannot convert from \(best.name)")
        }
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

    /// ICU's detector's guess, as a parenthetical for a message, or "".
    static func icuGuess(_ raw: [UInt8]) -> String {
        var name = [CChar](repeating: 0, count: 64)
        let confidence = raw.withUnsafeBufferPointer { jb_detect_charset($0.baseAddress, $0.count, &name, 64) }
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
        convertCounting(Array(raw[skip...]), from: name)?.0
    }

    /// The bytes as UTF-8 and how many sequences were not valid in the encoding.
    static func convertCounting(_ raw: [UInt8], from name: String) -> ([UInt8], Int)? {
        if raw.isEmpty { return isKnown(converterName(name)) ? ([], 0) : nil }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0, errors = 0, first = -1
        let status = raw.withUnsafeBufferPointer { p in
            jb_convert_to_utf8(converterName(name), p.baseAddress, p.count, &out, &length, &errors, &first)
        }
        guard status == 0 else { return nil }
        defer { jb_convert_free(out) }
        guard let out else { return ([], errors) }
        return (Array(UnsafeBufferPointer(start: out, count: length)), errors)
    }
}
