import CBytes
import CConvert

/// Removes or replaces what real documents carry and users never mean (FORMAT.md
/// "Normalisation"): Kangxi radicals and CJK compatibility ideographs become the unified
/// ideographs (ICU's NFKC data, one character at a time, so that full-width punctuation and
/// digits stay as printed), non-breaking and other spaces become a space, zero-width
/// characters and stray control characters go, vertical tab, form feed and the Unicode
/// line and paragraph separators end a line.
///
/// Text with none of these is returned as it is, without a copy: a vectorised scan finds the
/// few lead bytes that could start one. A UTF-8 file's validation already notes where the
/// first such character is (`jb_utf8_find_invalid_noting`), so a clean file is not scanned
/// again.
public enum TextNormaliser {
    /// What to do with one scalar.
    enum Action: Equatable {
        case keep
        case remove
        case replace(UInt32)
    }

    static func action(_ scalar: UInt32, atStart: Bool) -> Action {
        switch scalar {
        case 0x09, 0x0A, 0x0D: return .keep
        case 0x0B, 0x0C, 0x2028, 0x2029: return .replace(0x0A)
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return .remove
        case 0xA0, 0x2000...0x200A, 0x202F, 0x205F: return .replace(0x20)
        case 0xAD, 0x200B...0x200D, 0x2060: return .remove
        // A BOM at the start is the reader's business; inside the text it is a zero-width space.
        case 0xFEFF: return atStart ? .keep : .remove
        case 0x2E80...0x2EFF, 0x2F00...0x2FD5, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            let mapped = jb_nfkc_single(scalar)
            return mapped == 0 ? .keep : .replace(mapped)
        default: return .keep
        }
    }

    /// The normalised text; `text` itself when nothing changes. The first `unchanged` bytes
    /// are known to need nothing (the text or the file it came from was checked already).
    public static func normalise(_ text: [UInt8], unchanged: Int = 0) -> [UInt8] {
        if unchanged >= text.count { return text }
        return text.withUnsafeBufferPointer { p -> [UInt8] in
            guard let base = p.baseAddress else { return text }
            var out: [UInt8] = []
            var copied = 0, at = unchanged
            while at < p.count {
                at += jb_normalise_candidate(base + at, p.count - at)
                guard at < p.count else { break }
                let (scalar, length) = decode(p, at)
                let change = action(scalar, atStart: at == 0)
                if change != .keep {
                    if out.isEmpty { out.reserveCapacity(p.count) }
                    out.append(contentsOf: p[copied..<at])
                    if case .replace(let value) = change { appendUTF8(value, to: &out) }
                    copied = at + length
                }
                at += length
            }
            if copied == 0 && out.isEmpty { return text }
            out.append(contentsOf: p[copied..<p.count])
            return out
        }
    }

    /// The scalar at `i` of well-formed UTF-8 and its length (a stray byte counts as itself).
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b = UInt32(p[i])
        func next(_ k: Int) -> UInt32? {
            guard i + k < p.count, p[i + k] & 0xC0 == 0x80 else { return nil }
            return UInt32(p[i + k] & 0x3F)
        }
        switch b {
        case 0xC2...0xDF:
            if let c1 = next(1) { return ((b & 0x1F) << 6 | c1, 2) }
        case 0xE0...0xEF:
            if let c1 = next(1), let c2 = next(2) { return ((b & 0x0F) << 12 | c1 << 6 | c2, 3) }
        case 0xF0...0xF4:
            if let c1 = next(1), let c2 = next(2), let c3 = next(3) {
                return ((b & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
            }
        default: break
        }
        // ASCII, or a lead byte the UTF-8 repair already turned into U+FFFD: one byte on.
        return (b < 0x80 ? b : 0xFFFD, 1)
    }

    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800: out += [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
        case 0x800..<0x10000: out += [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        default: out += [UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        }
    }
}
