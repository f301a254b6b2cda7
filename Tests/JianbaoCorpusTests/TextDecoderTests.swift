import Foundation
import Testing
import CBytes
@testable import JianbaoCorpus

/// Encodings told apart and decoded (FORMAT.md "Encodings"), and the normalisation rules.
@Suite struct TextDecoderTests {
    static let text = "· 重要动态\n一季度国企经营平稳\n本市国企实现营业收入8362.4亿元，同比增长4.6%。（市国资委）\n"
    static let traditional = "· 經濟運行\n上半年中央企業效益穩中有升\n今年上半年中央企業累計實現營業收入12萬億元，同比增長5.1%。（國資委）\n"

    static func encoded(_ text: String, _ encoding: String.Encoding) -> [UInt8] {
        Array(text.data(using: encoding)!)
    }

    /// Text in another encoding, made by iconv (glibc's tables, not ICU's that the reader uses).
    static func iconv(_ text: String, to encoding: String) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", encoding]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try! input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    static func gb18030(_ text: String) -> [UInt8] { iconv(text, to: "GB18030") }
    static func big5(_ text: String) -> [UInt8] { iconv(text, to: "BIG5") }

    /// (what, bytes, the encoding found).
    static let cases: [(String, [UInt8], String)] = [
        ("UTF-8", Array(text.utf8), "UTF-8"),
        ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(text.utf8), "UTF-8"),
        ("UTF-16LE with BOM", [0xFF, 0xFE] + encoded(text, .utf16LittleEndian), "UTF-16LE"),
        ("UTF-16BE with BOM", [0xFE, 0xFF] + encoded(text, .utf16BigEndian), "UTF-16BE"),
        ("UTF-16LE without BOM", encoded(text, .utf16LittleEndian), "UTF-16LE"),
        ("UTF-16BE without BOM", encoded(text, .utf16BigEndian), "UTF-16BE"),
        // U+3000 and 一 have a NUL low byte: the NULs alone point the wrong way.
        ("UTF-16BE, ideographic spaces", encoded("\u{3000}\u{3000}一一一" + text, .utf16BigEndian), "UTF-16BE"),
        ("UTF-32LE with BOM", [0xFF, 0xFE, 0, 0] + encoded(text, .utf32LittleEndian), "UTF-32LE"),
        ("GB18030", gb18030(text), "GB18030"),
        ("Big5", big5(traditional), "Big5"),
        ("traditional text in GB18030", gb18030(traditional), "GB18030"),
    ]

    @Test(arguments: cases)
    func encodingIsFoundAndDecoded(what: String, bytes: [UInt8], encoding: String) {
        guard case .text(let utf8, let found, let warning, _) = TextDecoder.decode(bytes) else {
            Testing.Issue.record("\(what): not decoded")
            return
        }
        #expect(found == encoding, "\(what)")
        #expect(warning == nil, "\(what)")
        let decoded = String(decoding: utf8, as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "")
        #expect(decoded == Self.text || decoded.hasSuffix(Self.text) || decoded == Self.traditional, "\(what)")
    }

    @Test func aFileThatIsNoKnownEncodingIsRefusedWithICUsGuess() {
        guard case .failure(let reason) = TextDecoder.decode(Array(repeating: [0x80, 0xFF, 0x41, 0xFF], count: 100).flatMap { $0 }) else {
            Testing.Issue.record("decoded")
            return
        }
        #expect(reason.hasPrefix("not UTF-8, UTF-16, GB18030 or Big5"))
        #expect(reason.contains("--encoding NAME"))
    }

    @Test func binaryIsStillBinary() {
        guard case .failure(let reason) = TextDecoder.decode([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x3E, 0x00]) else {
            Testing.Issue.record("decoded")
            return
        }
        #expect(reason == "binary file (NUL byte at offset 7); skipped")
    }

    @Test func utf8WithAFewBadBytesIsRepairedNotReinterpreted() {
        var bytes = Array(Self.text.utf8)
        bytes.insert(0xFF, at: 20)
        guard case .damagedUTF8 = TextDecoder.decode(bytes) else {
            Testing.Issue.record("not taken as damaged UTF-8")
            return
        }
    }

    @Test func aNamedEncodingIsUsedAndItsErrorsCounted() {
        guard case .text(let utf8, let name, let warning, _) = TextDecoder.decode(Self.gb18030(Self.text) + [0xFF], forced: "gbk") else {
            Testing.Issue.record("not decoded")
            return
        }
        #expect(name == "GBK")
        #expect(String(decoding: utf8, as: UTF8.self).hasPrefix(Self.text))
        #expect(warning == "1 byte sequence not valid in GBK replaced with U+FFFD")
        // A valid UTF-8 file stays UTF-8 whatever is named.
        guard case .text(_, let utf8Name, _, _) = TextDecoder.decode(Array(Self.text.utf8), forced: "big5") else { return }
        #expect(utf8Name == "UTF-8")
    }

    @Test func aShortAmbiguousFileIsReadWithAWarningNamingTheOverride() {
        // Two characters that decode in both without an error and are rare in either.
        let bytes: [UInt8] = [0xB0, 0xA1, 0xB0, 0xA2, 0x0A]
        guard case .text(_, let name, let warning, _) = TextDecoder.decode(bytes) else {
            Testing.Issue.record("not decoded")
            return
        }
        #expect(["GB18030", "Big5"].contains(name))
        #expect(warning?.contains("--encoding") == true)
        #expect(warning?.contains(".load --encoding") == true)
    }

    /// (input, normalised).
    static let normalisations: [(String, String)] = [
        ("\u{2F00}季度", "一季度"),              // Kangxi radical one
        ("\u{2F08}民", "人民"),                  // Kangxi radical person
        ("\u{F9B5}如", "例如"),                  // CJK compatibility ideograph
        ("\u{2F8A6}", "\u{6148}"),             // compatibility supplement
        ("本市\u{00A0}国企", "本市 国企"),
        ("会\u{200B}议\u{200C}\u{200D}\u{2060}", "会议"),
        ("中\u{FEFF}文", "中文"),
        ("营业\u{00AD}收入", "营业收入"),
        ("增长\u{1B}5%\u{07}", "增长5%"),
        ("页\u{0C}下一页\u{0B}行", "页\n下一页\n行"),
        ("段\u{2029}段", "段\n段"),
        ("全角，数字１２３　保留", "全角，数字１２３　保留"),
        ("“引号”·标记", "“引号”·标记"),
        ("\u{0085}控制", "控制"),
    ]

    @Test(arguments: normalisations)
    func normalisation(input: String, output: String) {
        #expect(String(decoding: TextNormaliser.normalise(Array(input.utf8)), as: UTF8.self) == output)
    }

    @Test func textWithNothingToNormaliseIsNotCopied() {
        let bytes = Array(Self.text.utf8)
        let out = TextNormaliser.normalise(bytes)
        #expect(out == bytes)
        bytes.withUnsafeBufferPointer { a in
            out.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
        }
    }

    /// The UTF-8 validation notes where the first character the normaliser changes is, so that
    /// a clean file is scanned once: every scalar that `action` does not keep must be noted.
    /// The only ones noted and kept are those whose NFKC mapping only ICU knows (radicals and
    /// compatibility ideographs); curly quotes, dashes and full-width forms are not noted.
    @Test func theValidatorNotesEveryScalarTheNormaliserChanges() {
        var missed: [UInt32] = [], needless: [UInt32] = []
        let askICU: [ClosedRange<UInt32>] = [0x2E80...0x2FFF, 0xF900...0xFAFF, 0x2F800...0x2FA3F]
        // Each scalar among ideographs, at every offset of a sixteen-byte block, so that both
        // the vectorised path (blocks of plain Chinese text) and the scalar one see it.
        let ideographs = Array(String(repeating: "国企营业收入同比增长", count: 5).utf8)
        for value in UInt32(0)...0x10FFFF where !(0xD800...0xDFFF).contains(value) {
            let before = 3 * (16 + Int(value % 16))
            var bytes = Array(ideographs[..<before])
            TextNormaliser.appendUTF8(value, to: &bytes)
            bytes += ideographs[..<60]
            let (valid, unchanged) = TextDecoder.checkUTF8(bytes)
            guard valid else { missed.append(value); continue }
            let noted = unchanged == before
            let changes = TextNormaliser.action(value, atStart: false) != .keep
            if changes && !noted { missed.append(value) }
            if noted && !changes && !askICU.contains(where: { $0.contains(value) }) { needless.append(value) }
        }
        let hex = { (values: [UInt32]) in values.prefix(10).map { String($0, radix: 16) }.joined(separator: " ") }
        #expect(missed.count == 0, "not noted: \(hex(missed))")
        #expect(needless.count == 0, "noted but kept: \(hex(needless))")
        // A byte order mark at the very start is the reader's, not the normaliser's.
        #expect(TextDecoder.checkUTF8([0xEF, 0xBB, 0xBF, 0x61]).unchanged == 4)
    }

    /// Normalising from where the validation's note says gives what normalising all does.
    @Test(arguments: normalisations.map(\.0) + [text, "“引号”——标记…" + text, "a\u{0}b"])
    func normalisingFromTheValidatorsNoteIsTheSame(input: String) {
        let bytes = Array(input.utf8)
        let (valid, unchanged) = TextDecoder.checkUTF8(bytes)
        #expect(valid)
        #expect(TextNormaliser.normalise(bytes, unchanged: unchanged) == TextNormaliser.normalise(bytes))
        if TextNormaliser.normalise(bytes) == bytes && !input.hasPrefix("\u{FEFF}") {
            #expect(unchanged == bytes.count)
        }
    }

    /// The validator (vectorised for plain Chinese text) finds the same first ill-formed byte
    /// as decoding does, on text broken at random places: the longest valid prefix ends there.
    @Test func theValidatorFindsTheFirstIllFormedByteAnywhere() {
        var random = SystemRandomNumberGenerator()
        let text = Array(String(repeating: "一季度国企营业收入8362.4亿元，同比增长4.6%。“引号”\n", count: 4).utf8)
        let breakers: [UInt8] = [0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x41, 0x00, 0x0A]
        for _ in 0..<600 {
            var bytes = text
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = breakers.randomElement(using: &random)!
            }
            if Bool.random(using: &random) { bytes.removeLast(Int.random(in: 0...2, using: &random)) }
            let expected = (0...bytes.count).last { String(validating: bytes[..<$0], as: UTF8.self) != nil }!
            let found = bytes.withUnsafeBufferPointer { p -> Int in
                var bad = 0
                return jb_utf8_find_invalid(p.baseAddress!, p.count, &bad)
            }
            #expect(found == expected, "\(bytes)")
            #expect(TextDecoder.checkUTF8(bytes).valid == (expected == bytes.count))
        }
    }
}
