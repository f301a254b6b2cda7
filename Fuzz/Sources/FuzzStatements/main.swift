import JianbaoCorpus
import JianbaoQuery

/// Statements and meta commands, one line per input line, at one session over the bundled
/// sample corpus: lexer, parser, resolver, evaluator and every output mode.
let corpus = Corpus(CorpusLoader.load(documents: SampleCorpus.documents, parallel: false))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let mode = OutputMode.allCases[size % OutputMode.allCases.count]
    let session = Session(corpus: corpus, mode: mode, style: OutputStyle(headers: true, width: size % 2 == 0 ? nil : 60),
                          bail: false, out: Output(), err: Output())
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(20).enumerated() {
        // Meta commands that touch files or run commands are left out: a fuzzer must not
        // write files or start programs.
        let word = line.drop { $0 == " " || $0 == "\t" }.prefix { !$0.isWhitespace }.lowercased()
        if [".output", ".once", ".read", ".load", ".reload"].contains(where: { word.hasPrefix($0) }) { continue }
        _ = try? session.feed(String(line), origin: LineOrigin(file: "fuzz", line: n + 1))
    }
    try? session.finish()
    return 0
}
