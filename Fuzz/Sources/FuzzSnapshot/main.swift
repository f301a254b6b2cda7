import JianbaoFuzzing

/// libFuzzer's entry point; what the target does is FuzzHarness.snapshot (Sources/JianbaoFuzzing),
/// which the tests also use to replay saved crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.snapshot(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
