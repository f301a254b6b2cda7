import JianbaoCorpus

/// Arbitrary bytes as a bulletin file: the reader, its diagnostics, and the figures and names
/// of whatever it made of them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let corpus = Corpus(CorpusLoader.load(documents: [("fuzz/2024-03-15.txt", bytes)], parallel: false))
    _ = corpus.figures.count
    _ = corpus.names.sources.count
    return 0
}
