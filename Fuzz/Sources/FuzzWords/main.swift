import JianbaoCorpus
import JianbaoQuery

/// Arbitrary text as the paragraphs of two articles: segmentation (ICU, the lexicon rules,
/// interning) and every corpus-analysis statement on it. A word id out of range or a block
/// whose words run backwards traps.
let head = Array("上海国资简报\n2024年第3期\n\n重要动态\n\n测试文章标题\n".utf8)
let middle = Array("（上海国际集团）\n\n第二篇文章\n".utf8)
let tail = Array("（上海市国资委）\n".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let bytes = head + input + [0x0A] + middle + input.reversed() + [0x0A] + tail
    let corpus = Corpus(CorpusLoader.load(documents: [("fuzz/2024-03-15.txt", bytes)], parallel: false))
    let table = corpus.words.table
    for words in table.issues {
        precondition(zip(words.blockStarts, words.blockStarts.dropFirst()).allSatisfy { $0 <= $1 })
        precondition(words.tokens.allSatisfy { Int($0) < table.texts.count })
    }
    // A needle and a node from the input itself: its first characters and first word.
    let text = String(decoding: input, as: UTF8.self)
    let needle = String(text.prefix(3)).replacingQuotes()
    let word = (corpus.words.segment(text).first ?? "基金").replacingQuotes()
    let out = Output(), err = Output()
    let session = Session(corpus: corpus, mode: .tsv, style: OutputStyle(), bail: false, out: out, err: err)
    for statement in ["kwic \"\(needle)\" width 3", "kwic \"\(needle)\" limit 2", "freq words", "freq chars",
                      "freq bigrams", "freq sources", "freq metrics", "collocates \"\(word)\" window 2",
                      ".segment \(text.prefix(200).split(separator: "\n").first ?? "")"] {
        _ = try? session.feed(statement)
    }
    return 0
}

extension String {
    /// Without quotes and backslashes, so that the text stays one quoted value.
    func replacingQuotes() -> String { String(filter { $0 != "\"" && $0 != "\\" && $0 != "\n" }) }
}
