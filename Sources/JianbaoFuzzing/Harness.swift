import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif
import JianbaoQuery

/// What each libFuzzer target in Fuzz/ does with one input. It lives in the main package so
/// that the tests replay every saved crash exactly as the fuzzer ran it
/// (Tests/Fixtures/fuzz-crashes/TARGET/, FuzzRegressionTests); the targets only call these.
public enum FuzzHarness {
    /// Target name → what it does with an input.
    public static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "FuzzStatements": statements, "FuzzReader": reader, "FuzzFigures": figures,
        "FuzzFormatters": formatters, "FuzzWords": words, "FuzzForms": forms, "FuzzSnapshot": snapshot,
    ]

    static let sample = Corpus(CorpusLoader.load(documents: SampleCorpus.documents, parallel: false))

    /// Statements and meta commands, one per input line (the first 20), at one session over
    /// the sample corpus, in a mode chosen by the input's length; first the limit/offset window
    /// on numbers from the input. `.output`/`.once` write only inside a folder of the fuzzer's
    /// own (or to /dev/full); commands, `.read`, `.load`,
    /// `.export`, `.cache` and variables that hold such lines are left out: a fuzzer must not
    /// start programs, read other files or clear the user's cache.
    public static func statements(_ input: [UInt8]) {
        windows(input)
        let mode = OutputMode.allCases[input.count % OutputMode.allCases.count]
        let session = Session(corpus: sample, mode: mode, style: OutputStyle(headers: true, width: input.count % 2 == 0 ? nil : 60),
                              bail: false, out: Output(), err: Output())
        // Lines split on the bytes \n and \r: split on Characters, "\r\n" is one and hid a
        // `.once FILE` line from the checks below that the session then ran.
        let lines = input.split(omittingEmptySubsequences: false) { $0 == 0x0A || $0 == 0x0D }
        for (n, bytes) in lines.prefix(20).enumerated() {
            let text = String(decoding: bytes, as: UTF8.self)
            let word = text.drop { $0 == " " || $0 == "\t" }.prefix { !$0.isWhitespace }.lowercased()
            if [".read", ".load", ".reload", ".safe", ".export", ".cache"].contains(where: { word.hasPrefix($0) }) { continue }
            // A variable may hold a meta command that `$a` then runs: none that writes or reads.
            if word.hasPrefix(".set"), ["output", "once", "export", "read", "load", "cache", "safe", "shell", "system"]
                .contains(where: { text.lowercased().contains($0) }) { continue }
            var line = text
            if word.hasPrefix(".output") || word.hasPrefix(".once") {
                guard let redirected = redirect(line) else { continue }
                line = redirected
            }
            _ = try? session.feed(line, origin: LineOrigin(file: "fuzz", line: n + 1))
        }
        try? session.finish()
    }

    /// A folder of this process's own for `.output` and `.once`.
    static let folder: String = {
        var template = Array("/tmp/jianbao-fuzz-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }()

    /// `.output X` / `.once X` kept inside `folder` (the redirect paths: temporary file,
    /// rename, a failed statement keeping the old file), or sent to /dev/full (a write that
    /// fails) when X says "full"; never a command, never a path outside.
    static func redirect(_ line: String) -> String? {
        // Split as the session splits meta commands (spaces and tabs): a tab before the file
        // name once slipped through and wrote into the working folder.
        let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = parts.first, let argument = parts.last, parts.count == 2 else { return line }
        if argument == "off" || argument == "stdout" { return line }
        if argument.hasPrefix("|") || argument.hasPrefix("'|") || argument.hasPrefix("\"|") { return nil }
        if argument.contains("full") { return command + " /dev/full" }
        let name = argument.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }.prefix(20)
        return command + " " + folder + "/f" + name
    }

    /// `limit` and `offset` from the first 16 bytes (any Int, Int.max included) against row
    /// counts from the next: the window must lie within the rows and hold what is left.
    static func windows(_ input: [UInt8]) {
        guard input.count >= 17 else { return }
        func int(_ at: Int) -> Int { input[at..<at + 8].reduce(0) { $0 << 8 | Int($1) } }
        let limit = int(0), offset = int(8), count = Int(input[16]) * 1000
        for (l, o) in [(limit, offset), (Int.max, offset), (limit, Int.max), (Int.max, 1)] as [(Int?, Int?)] + [(nil, offset), (limit, nil)] {
            let window = Evaluator.window(count: count, limit: l.map { max(0, $0) }, offset: o.map { max(0, $0) })
            precondition(window.lowerBound >= 0 && window.upperBound <= count && window.lowerBound <= window.upperBound)
            let rest = count - min(count, max(0, o ?? 0))
            precondition(window.count == min(rest, l.map { max(0, $0) } ?? rest))
        }
    }

    /// Arbitrary bytes as a bulletin file: the reader, its diagnostics, and the figures and
    /// names of whatever it made of them.
    public static func reader(_ input: [UInt8]) {
        let corpus = load(input)
        _ = corpus.figures.count
        _ = corpus.names.sources.count
    }

    static let head = Array("上海国资简报\n2024年第3期\n\n重要动态\n\n测试文章标题\n".utf8)
    static let tail = Array("（上海市国资委）\n".utf8)

    /// Arbitrary text as the paragraphs of one article in a well-formed issue: the figure
    /// extractor on every line of it.
    public static func figures(_ input: [UInt8]) {
        for figures in load(head + input + [0x0A] + tail).figures.figures {
            for figure in figures { _ = figure.metric.count + figure.subject.count }
        }
    }

    /// Arbitrary cells through every output mode at three widths: rows on newlines, cells on
    /// tabs; a cell that reads as an integer becomes one.
    public static func formatters(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(50).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).prefix(12).map { cell -> Value in
                if let n = Int(cell) { return .integer(n) }
                return cell.isEmpty ? .null : .text(String(cell))
            }
        }
        guard let header = rows.first else { return }
        let columns = header.map { $0.plainText }
        for mode in OutputMode.allCases {
            for width in [nil, 1, 40] as [Int?] {
                var formatter = mode.makeFormatter(OutputStyle(headers: true, width: width))
                let out = Output()
                do {
                    try formatter.begin(columns: columns, to: out)
                    for row in rows.dropFirst() {
                        // Rows as wide as the header, as the evaluator makes them.
                        try formatter.row(Array((row + Array(repeating: Value.null, count: columns.count)).prefix(columns.count)), to: out)
                    }
                    try formatter.end(to: out)
                } catch {}
            }
        }
    }

    static let middle = Array("（上海国际集团）\n\n第二篇文章\n".utf8)

    /// Arbitrary text as the paragraphs of two articles (the second reversed): segmentation
    /// and every corpus-analysis statement on it. A word id out of range or a block whose words
    /// run backwards traps.
    public static func words(_ input: [UInt8]) {
        let corpus = load(head + input + [0x0A] + middle + input.reversed() + [0x0A] + tail)
        let table = corpus.words.table
        for words in table.issues {
            precondition(zip(words.blockStarts, words.blockStarts.dropFirst()).allSatisfy { $0 <= $1 })
            precondition(words.tokens.allSatisfy { Int($0) < table.texts.count })
        }
        // A needle and a node from the input itself: its first characters and its first word.
        let text = String(decoding: input, as: UTF8.self)
        func plain(_ s: some StringProtocol) -> String { String(s.filter { $0 != "\"" && $0 != "\\" && $0 != "\n" }) }
        let needle = plain(text.prefix(3))
        let word = plain(corpus.words.segment(text).first ?? "基金")
        let session = Session(corpus: corpus, mode: .tsv, style: OutputStyle(), bail: false, out: Output(), err: Output())
        for statement in ["kwic \"\(needle)\" width 3", "kwic \"\(needle)\" limit 2", "freq words", "freq chars",
                          "freq bigrams", "freq sources", "freq metrics", "collocates \"\(word)\" window 2",
                          ".segment " + plain(text.prefix(200))] {
            _ = try? session.feed(statement)
        }
    }

    /// Arbitrary bytes as each form the loader reads (issue 12): a text file in any encoding, a
    /// Word file, a PDF or a web page, chosen by the first byte (`%` PDF, `P` Word, `<` web page,
    /// else by its value modulo 4), which stays part of the input so that signatures survive.
    public static func forms(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let extensions = ["txt", "docx", "pdf", "html"]
        let form = first == UInt8(ascii: "%") ? 2 : first == UInt8(ascii: "P") ? 1 : first == UInt8(ascii: "<") ? 3 : Int(first) % 4
        let name = "fuzz/2024-03-15." + extensions[form]
        let corpus = Corpus(CorpusLoader.load(documents: [(name, input)], parallel: false))
        _ = corpus.figures.count
        _ = corpus.issues.first.map { $0.format + ($0.encoding ?? "") }
    }

    static func load(_ bytes: [UInt8]) -> Corpus {
        Corpus(CorpusLoader.load(documents: [("fuzz/2024-03-15.txt", bytes)], parallel: false))
    }
}
