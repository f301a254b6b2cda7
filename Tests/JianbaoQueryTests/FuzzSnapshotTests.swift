import Testing
@testable import JianbaoFuzzing

/// The FuzzSnapshot harness on its own seeds and on damaged copies of them: every load must
/// answer as a load that read every file, give at most one warning and leave the cache whole
/// (the harness traps otherwise), so these also check that the harness's oracle holds.
@Suite struct FuzzSnapshotTests {
    @Test func seedsAndDamagedCopies() throws {
        let seeds = FuzzHarness.snapshotSetup.seeds
        #expect(seeds.count == 3)
        let all = try #require(seeds["all"])
        for (_, seed) in seeds.sorted(by: { $0.key < $1.key }) { FuzzHarness.snapshot(seed) }
        // Nothing, a marker alone, garbage, and the seed cut short and with bytes flipped across
        // the three parts (the snapshot's header, index and entries, the kept files' frames).
        FuzzHarness.snapshot([])
        FuzzHarness.snapshot(FuzzHarness.snapshotMarker)
        FuzzHarness.snapshot(Array("not a snapshot".utf8) + FuzzHarness.snapshotMarker + [0, 1, 2])
        for cut in stride(from: 0, to: all.count, by: max(1, all.count / 12)) { FuzzHarness.snapshot(Array(all[..<cut])) }
        for at in stride(from: 0, to: all.count, by: max(1, all.count / 24)) {
            var damaged = all
            damaged[at] ^= 0x41
            FuzzHarness.snapshot(damaged)
        }
        // Sealed (an odd last byte: every checksum made to match), damage anywhere in the
        // snapshot's index reaches the decoder of heads and records, which must refuse it or
        // read it without crashing.
        let snapshot = try #require(seeds["snapshot"])
        let indexAt = Int(snapshot.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) })
        try #require(indexAt > 64 && indexAt < snapshot.count)
        for at in stride(from: indexAt, to: snapshot.count, by: max(1, (snapshot.count - indexAt) / 97)) {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = all
                damaged[at] ^= flip
                damaged[damaged.count - 1] |= 1
                FuzzHarness.snapshot(damaged)
            }
        }
        // The texts are not checksummed: damage there reaches every statement as bytes that
        // are not UTF-8, the regular expression's engine too (PCRE2 read outside its tables:
        // SIGSEGV). Here in the same test, as the harness's cache folder is one per process.
        let seed = try #require(seeds["snapshot"])
        let length = Int(seed.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 48, as: UInt64.self)) })
        try #require(length > 100 && 64 + length <= seed.count)
        for (step, bytes) in [(7, [0xF0, 0xFF] as [UInt8]), (6, [0xFD, 0xBF])] {
            var damaged = seed
            for at in 64..<(64 + length) where at % step == 0 || bytes[0] == 0xFD {
                damaged[at] = at % step == 0 ? bytes[0] : bytes[1]
            }
            FuzzHarness.snapshot(damaged)
        }
    }

    /// The split: three parts by the marker, the third keeping any further marker.
    @Test func inputSplitsIntoThreeFiles() {
        let m = FuzzHarness.snapshotMarker
        let parts = FuzzHarness.snapshotParts([1] + m + [2, 2] + m + [3] + m + [4], count: 3).map(Array.init)
        #expect(parts == [[1], [2, 2], [3] + m + [4]])
        #expect(FuzzHarness.snapshotParts([5, 6], count: 3).map(Array.init) == [[5, 6]])
        #expect(FuzzHarness.snapshotParts(m, count: 3).map(Array.init) == [[], []])
        #expect(FuzzHarness.snapshotParts([], count: 3).isEmpty)
    }
}
