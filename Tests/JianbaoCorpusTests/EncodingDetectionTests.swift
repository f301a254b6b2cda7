import CConvert
import Foundation
import Testing
@testable import JianbaoCorpus

/// The cheap detection of FORMAT.md "Encodings": UTF-16 byte order counted in place, the
/// damaged-UTF-8 count that stops once it is settled, and ICU's decoding written straight to
/// UTF-8 in chunks. Each must give what the slow way (decode everything with ICU, then look)
/// gives, so the rows below name the encoding a file must be read in and the text it holds.
@Suite struct EncodingDetectionTests {
    static let text = TextDecoderTests.text
    static let traditional = TextDecoderTests.traditional

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        TextDecoderTests.encoded(text, bigEndian ? .utf16BigEndian : .utf16LittleEndian)
    }

    /// UTF-16 code units as bytes, in either order (lone surrogates allowed).
    static func bytes(units: [UInt16], bigEndian: Bool) -> [UInt8] {
        units.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// Deterministic pseudo-random numbers (SplitMix64), so that a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Units that stress the decoders: ASCII and line ends, ideographs (some with a NUL low
    /// byte), CJK punctuation, high and low surrogates alone and in pairs, private use.
    static func randomUnits(_ count: Int, _ random: inout Random) -> [UInt16] {
        (0..<count).map { _ in
            switch random.below(10) {
            case 0, 1: UInt16(0x20 + random.below(0x5F))
            case 2: 0x0A
            case 3, 4, 5: UInt16(0x4E00 + random.below(0x5200))
            case 6: [0x3000, 0x4E00, 0x5100, 0xFF0C, 0x3002][random.below(5)]
            case 7: UInt16(0xD800 + random.below(0x400))
            case 8: UInt16(0xDC00 + random.below(0x400))
            default: UInt16(random.below(0x10000))
            }
        }
    }

    // MARK: which encoding

    /// (what, bytes, the encoding it must be read in, the text it holds or nil to skip that check).
    static let cases: [(String, [UInt8], String, String?)] = [
        // 㐀 and 䶵 (extension A) and 𠀀 (extension B) are four bytes each in GB18030. (Text
        // outside the common planes, such as 𠀀, counts as implausible: in a file of only a
        // few lines one such character is more than the 1% of errors allowed.)
        ("GB18030 with four-byte sequences (outside GBK)",
         TextDecoderTests.gb18030("本市国企㐀实现营业收入𠀀8362.4亿元，同比增长4.6%。䶵\n" + String(repeating: text, count: 3)), "GB18030",
         "本市国企㐀实现营业收入𠀀8362.4亿元，同比增长4.6%。䶵\n" + String(repeating: text, count: 3)),
        ("GB18030, one short line", TextDecoderTests.gb18030("市国资委发布通知\n"), "GB18030", "市国资委发布通知\n"),
        ("GB18030, mostly ASCII", TextDecoderTests.gb18030("Q3 2024 report: revenue 8362.4, +4.6% YoY\nID 2024-03-001\n企业营业收入增长\n"),
         "GB18030", "Q3 2024 report: revenue 8362.4, +4.6% YoY\nID 2024-03-001\n企业营业收入增长\n"),
        // Every Big5 pair is also a valid GBK pair: only the common characters tell them apart.
        ("Big5 that decodes as GBK without an error",
         TextDecoderTests.big5("2024年第3期\n" + traditional + "全年營業收入12萬億元。\n"), "Big5",
         "2024年第3期\n" + traditional + "全年營業收入12萬億元。\n"),
        ("UTF-16LE without BOM, odd length", utf16(text, bigEndian: false) + [0x41], "UTF-16LE", text + "\u{FFFD}"),
        ("UTF-16BE without BOM, one lone surrogate",
         bytes(units: Array("· 重要动态\n".utf16) + [0xD800] + Array(text.utf16), bigEndian: true), "UTF-16BE",
         "· 重要动态\n\u{FFFD}" + text),
        ("UTF-16BE without BOM, supplementary ideographs", utf16("𠀀𠀁\n" + text, bigEndian: true), "UTF-16BE", "𠀀𠀁\n" + text),
        ("UTF-16LE without BOM, mostly ASCII", utf16("Report 2024\nrevenue 8362.4\n" + text, bigEndian: false), "UTF-16LE",
         "Report 2024\nrevenue 8362.4\n" + text),
        // Past the 64 KB sample the rest is converted on its own and appended.
        ("GB18030 longer than the sample", TextDecoderTests.gb18030(String(repeating: text + "㐀\n", count: 1000)), "GB18030",
         String(repeating: text + "㐀\n", count: 1000)),
        ("Big5 longer than the sample", TextDecoderTests.big5(String(repeating: traditional, count: 700)), "Big5",
         String(repeating: traditional, count: 700)),
        // Past the 64 KB sample the rest is decoded in the order the sample gave.
        ("UTF-16BE without BOM, longer than the sample",
         utf16(String(repeating: text, count: 800), bigEndian: true), "UTF-16BE", String(repeating: text, count: 800)),
    ]

    @Test(arguments: cases)
    func encodingIsFound(what: String, bytes: [UInt8], encoding: String, expected: String?) {
        guard case .text(let utf8, let found, _, _) = TextDecoder.decode(bytes) else {
            Testing.Issue.record("\(what): not decoded")
            return
        }
        #expect(found == encoding, "\(what)")
        if let expected { #expect(String(decoding: utf8, as: UTF8.self) == expected, "\(what)") }
    }

    @Test func twoLoneSurrogatesInEachOrderIsNotUTF16() {
        // Two errors in either byte order: neither is UTF-16, and the NULs make it binary.
        let units: [UInt16] = Array("ab\n".utf16) + [0xD800, 0x41, 0xDC00] + Array("cd\n".utf16) + [0x00D8, 0x00DC]
        guard case .failure(let reason) = TextDecoder.decode(Self.bytes(units: units, bigEndian: false)) else {
            Testing.Issue.record("decoded")
            return
        }
        #expect(reason.hasPrefix("binary file"))
    }

    // MARK: counted in place as ICU decodes

    /// jb_utf16_counts reads the units as ICU's converter does: the same scalars, plausible
    /// ones, ideographs and errors as counting ICU's output.
    @Test(arguments: [false, true])
    func utf16CountsMatchICUsDecoding(bigEndian: Bool) {
        var random = Random(state: bigEndian ? 12 : 21)
        var inputs: [[UInt8]] = [
            [], [0x41], Self.utf16(Self.text, bigEndian: bigEndian), Self.utf16(Self.text, bigEndian: !bigEndian),
            Self.bytes(units: [0xD800], bigEndian: bigEndian), Self.bytes(units: [0xDC00, 0xD800, 0xDC00, 0xD800], bigEndian: bigEndian),
            Self.bytes(units: [0xD83D, 0xDE00, 0x41], bigEndian: bigEndian) + [0x00],
        ]
        for length in [1, 2, 3, 17, 300, 4099] {
            let bytes = Self.bytes(units: Self.randomUnits(length, &random), bigEndian: bigEndian)
            inputs.append(bytes)
            inputs.append(bytes + [0x0A])
        }
        let name = bigEndian ? "UTF-16BE" : "UTF-16LE"
        for (n, input) in inputs.enumerated() {
            let counted = TextDecoder.utf16Counts(input[...], bigEndian: bigEndian)
            guard let decoded = TextDecoder.convertCounting(input[...], from: name, counting: true) else {
                Testing.Issue.record("\(name) #\(n): no converter")
                continue
            }
            #expect(counted.complete, "\(name) #\(n)")
            #expect(counted.errors == decoded.errors, "\(name) #\(n)")
            #expect(counted.counts.scalars == decoded.counts.scalars, "\(name) #\(n)")
            #expect(counted.counts.plausible == decoded.counts.plausible, "\(name) #\(n)")
            #expect(counted.counts.ideographs == decoded.counts.ideographs, "\(name) #\(n)")
        }
    }

    @Test func aUTF16CountGivesUpOnlyPastItsLimit() {
        // Big-endian text read as little-endian: most ideographs turn implausible.
        let bytes = Self.utf16(String(repeating: Self.text, count: 40), bigEndian: true)
        let full = TextDecoder.utf16Counts(bytes[...], bigEndian: false)
        let implausible = full.counts.scalars - full.counts.plausible
        #expect(full.complete && implausible > 1000)
        let stopped = TextDecoder.utf16Counts(bytes[...], bigEndian: false, giveUp: 500)
        #expect(!stopped.complete)
        #expect(stopped.counts.scalars - stopped.counts.plausible > 500)
        #expect(stopped.counts.scalars < full.counts.scalars)
        #expect(TextDecoder.utf16Counts(bytes[...], bigEndian: false, giveUp: implausible).complete)
    }

    // MARK: written straight to UTF-8

    /// ICU's UTF-16 chunks become UTF-8 in our loop: surrogate pairs split across the 8,192-unit
    /// chunks, lone surrogates and a last odd byte give what Swift's own UTF-16 decoding gives.
    @Test(arguments: [false, true])
    func utf16BecomesTheSameUTF8AsSwiftsDecoding(bigEndian: Bool) {
        var random = Random(state: bigEndian ? 3 : 4)
        let name = bigEndian ? "UTF-16BE" : "UTF-16LE"
        var inputs: [[UInt16]] = []
        // A pair whose high surrogate is the last unit of the first chunk, then of the second.
        for at in [8191, 8190, 16383] {
            inputs.append(Array(repeating: 0x41, count: at) + [0xD840, 0xDC00] + Array("尾\n".utf16))
        }
        inputs.append(Array(repeating: 0x41, count: 8191) + [0xD840])
        inputs.append(Array(repeating: 0x4E00, count: 8191) + [0xD840, 0x41])
        inputs.append(Self.randomUnits(30000, &random))
        for units in inputs {
            for odd in [false, true] {
                let bytes = Self.bytes(units: units, bigEndian: bigEndian) + (odd ? [0x7F] : [])
                // ICU takes a high surrogate in the last unit and an odd byte after it as one
                // truncated sequence: one U+FFFD for both.
                let merged = odd && (0xD800...0xDBFF).contains(units.last!)
                let kept = merged ? Array(units.dropLast()) : units
                let expected = String(decoding: kept, as: UTF16.self) + (odd ? "\u{FFFD}" : "")
                let decoded = TextDecoder.convertCounting(bytes[...], from: name)
                #expect(decoded.map { String(decoding: $0.text, as: UTF8.self) } == expected, "\(name), \(units.count) units, odd \(odd)")
            }
        }
    }

    @Test func aFourByteGB18030CharacterAcrossAChunkEndIsKept() {
        for ascii in [8190, 8191, 8192] {
            let text = String(repeating: "a", count: ascii) + "𠀀中" + String(repeating: "b", count: 9000) + "𠀁\n"
            let decoded = TextDecoder.convertCounting(TextDecoderTests.gb18030(text)[...], from: "GB18030", counting: true)
            #expect(decoded.map { String(decoding: $0.text, as: UTF8.self) } == text, "\(ascii)")
            #expect(decoded?.errors == 0)
            #expect(decoded?.counts.ideographs == 3)
            #expect(decoded?.counts.common == 1)
        }
    }

    // MARK: the damaged-UTF-8 count

    /// The count that stops once a file is clearly not UTF-8 never changes the answer: when it
    /// stops, the full count could not have said "damaged UTF-8" either.
    @Test func aSettledUTF8CountAgreesWithTheFullCount() {
        var random = Random(state: 7)
        var damaged = Array(String(repeating: Self.text, count: 20).utf8)
        for _ in 0..<30 { damaged[random.below(damaged.count)] = 0xFF }
        let inputs: [[UInt8]] = [
            TextDecoderTests.gb18030(String(repeating: Self.text, count: 20)),
            TextDecoderTests.big5(String(repeating: Self.traditional, count: 20)),
            damaged,
            (0..<5000).map { _ in UInt8(random.below(256)) },
            Array("abc".utf8) + [0xE4, 0xB8],
        ]
        var stopped = 0
        for (n, input) in inputs.enumerated() {
            let full = TextDecoder.utf8Counts(input, settle: false)
            let settled = TextDecoder.utf8Counts(input, settle: true)
            #expect(full.complete, "#\(n)")
            if settled.complete {
                #expect(settled.valid == full.valid && settled.invalid == full.invalid, "#\(n)")
            } else {
                stopped += 1
                #expect(full.valid < 4 * full.invalid, "#\(n)")
            }
        }
        // The GB18030 and Big5 inputs stop early; the damaged UTF-8 does not.
        #expect(stopped >= 2)
        #expect(TextDecoder.utf8Counts(damaged, settle: true).complete)
    }
}
