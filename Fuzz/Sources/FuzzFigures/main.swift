import JianbaoCorpus

/// Arbitrary text as the paragraphs of one article in a well-formed issue: the figure
/// extractor on every line of it.
let head = Array("上海国资简报\n2024年第3期\n\n重要动态\n\n测试文章标题\n".utf8)
let tail = Array("（上海市国资委）\n".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = head + Array(UnsafeBufferPointer(start: data, count: size)) + [0x0A] + tail
    let corpus = Corpus(CorpusLoader.load(documents: [("fuzz/2024-03-15.txt", bytes)], parallel: false))
    for figures in corpus.figures.figures {
        for figure in figures { _ = figure.metric.count + figure.subject.count }
    }
    return 0
}
