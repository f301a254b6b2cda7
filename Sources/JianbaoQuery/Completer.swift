import JianbaoCorpus
#if canImport(Glibc)
import Glibc
#endif

/// Tab completion by context (LANGUAGE.md "Interactive shell"): meta commands after `.`;
/// statement keywords; targets; the fields of the statement's target; section, source and
/// issue names from the loaded corpus after `=`, `!=`, `contains`, `in (` and `,`; file paths
/// after `.read`, `.output`, `.once` and `.load`. Pure logic over the text before the cursor,
/// so that it is tested without a terminal; the shell only inserts and lists.
public struct Completer: Sendable {
    let corpus: Corpus

    public init(corpus: Corpus) { self.corpus = corpus }

    /// The word being completed (the text it replaces) and the candidates for it, sorted.
    public func complete(_ line: String) -> (word: String, candidates: [String]) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix(".") { return meta(String(trimmed)) }
        return statement(line)
    }

    // MARK: - Meta commands

    func meta(_ line: String) -> (word: String, candidates: [String]) {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count == 1 {
            return (line, filter(MetaCommands.all.map { "." + $0.name }, line))
        }
        let command = MetaCommands.named(String(words[0].dropFirst()))
        let word = words.last ?? ""
        guard let command else { return (word, []) }
        if command.takesPath || command.name == "load" { return (word, paths(word)) }
        switch command.name {
        case "mode": return (word, filter(OutputMode.allCases.map(\.rawValue), word))
        case "headers", "bail", "echo", "timer", "stopwords": return (word, filter(["on", "off"], word))
        case "fields": return (word, filter(Schema.targets.map(\.name), word))
        case "cache": return (word, words.count == 2 ? filter(["clear"], word) : [])
        case "help":
            let topics = MetaCommands.all.map(\.name) + Grammar.statementNames + Schema.targets.map(\.name) + OutputMode.allCases.map(\.rawValue)
            return (word, filter(Array(Set(topics)), word))
        default: return (word, [])
        }
    }

    /// File names starting with `word` (`~` is the home folder); folders end in `/`.
    func paths(_ word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let folderPart = slash.map { String(word[...$0]) } ?? ""
        let namePart = slash.map { String(word[word.index(after: $0)...]) } ?? word
        var folder = folderPart.isEmpty ? "." : folderPart
        if folder.hasPrefix("~"), let home = getenv("HOME") { folder = String(cString: home) + folder.dropFirst() }
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix(".") && !namePart.hasPrefix(".") { continue }
            guard name.hasPrefix(namePart) else { continue }
            var st = stat()
            let isFolder = stat(folder + "/" + name, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
            names.append(folderPart + name + (isFolder ? "/" : ""))
        }
        return names.sorted()
    }

    // MARK: - Statements

    func statement(_ line: String) -> (word: String, candidates: [String]) {
        // The statement being typed starts after the last ';'.
        let text = line.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? line
        let (before, word) = splitWord(text)
        let tokens = (try? Lexer(before).tokens().dropLast().map { $0 }) ?? []
        let words = tokens.map(describe)
        guard let first = words.first?.lowercased() else {
            return (word, filter(Grammar.statementNames, word))
        }
        if first == "metric" {
            // metric NAME: the metric names of the corpus; then fields of figures, and the
            // keys after `by`.
            if words.count == 1 {
                // The interned metrics: no figure made or string hashed per figure.
                return (word, filter(corpus.figures.columns.metrics, word))
            }
            if words.last?.lowercased() == "by" { return (word, filter(MetricKey.allCases.map(\.rawValue), word)) }
            let fields = Schema.spec(.figures).fields.map(\.name)
            if let last = words.last?.lowercased(), ["where", "and", "or", "not", "("].contains(last) { return (word, filter(fields, word)) }
        }
        if let options = Self.analysisOptions[first] { return analysis(first, words, options, word) }
        guard first == "select" || first == "count" || first == "metric" else { return (word, []) }
        let target = statementTarget(words)
        let fields = target.map { $0.fields.map(\.name) } ?? []
        let previous = words.last!.lowercased()
        switch previous {
        case "select":
            // A target when one fits what is typed (`select art` is `articles`); else the
            // fields of any target, for the SQL order `select title, source from …`.
            let targets = filter(Schema.targets.map(\.name), word)
            if !targets.isEmpty { return (word, targets) }
            return (word, filter(Schema.targets.flatMap { $0.fields.map(\.name) }.uniqued(), word))
        case "count", "from":
            return (word, filter(Schema.targets.map(\.name), word))
        case "where", "and", "or", "not", "(", "by":
            if previous == "(" , words.count >= 2, words[words.count - 2].lowercased() == "in" {
                return (word, values(for: words.count >= 3 ? words[words.count - 3] : "", target, word))
            }
            if previous == "by", words.count >= 2, words[words.count - 2].lowercased() == "order" {
                return (word, filter(fields, word))
            }
            return (word, filter(fields + (previous == "where" || previous == "and" || previous == "or" ? ["not"] : []), word))
        case "=", "!=", "contains":
            return (word, values(for: words.count >= 2 ? words[words.count - 2] : "", target, word))
        case ",":
            if let open = words.lastIndex(of: "("), open >= 2, words[open - 1].lowercased() == "in", !words[open...].contains(")") {
                return (word, values(for: words[open - 2], target, word))
            }
            return (word, filter(fields, word))
        case "order":
            return (word, filter(["by"], word))
        default:
            if target != nil, Schema.target(named: previous) != nil, words.count == 2, first == "select" {
                return (word, filter(fields + ["where", "order", "limit", "from"], word))
            }
            if let target, target.field(named: previous) != nil {
                let before = words.count >= 2 ? words[words.count - 2].lowercased() : ""
                if ["where", "and", "or", "not", "("].contains(before) {
                    return (word, filter(["contains", "matches", "in", "not"], word))
                }
                return (word, filter(fields + ["where", "order", "limit", "from", "by", "desc", "asc", "offset"], word))
            }
            return (word, filter(["and", "or", "order", "limit", "offset", "by", "where"], word))
        }
    }

    /// The clauses after `kwic X`, `freq KIND` and `collocates X`.
    static let analysisOptions = ["kwic": ["where", "width", "limit", "offset"], "freq": ["where", "limit", "offset"],
                                  "collocates": ["where", "window", "limit", "offset"], "trend": ["where", "by"],
                                  "keywords": ["where", "vs", "min", "limit", "offset", "negative"]]

    /// `kwic`, `freq`, `collocates`: the kinds after `freq`; article fields and their values
    /// after `where`; the options after the rest.
    func analysis(_ first: String, _ words: [String], _ options: [String], _ word: String) -> (word: String, candidates: [String]) {
        if words.count == 1 {
            switch first {
            case "freq": return (word, filter(Grammar.freqKinds, word))
            case "keywords": return (word, filter(["where"], word))
            default: return (word, [])
            }
        }
        let articles = Schema.spec(.articles)
        let fields = articles.fields.map(\.name)
        let previous = words.last!.lowercased()
        let before = words.count >= 2 ? words[words.count - 2].lowercased() : ""
        switch previous {
        case "where", "and", "or", "not", "(", "vs": return (word, filter(fields, word))
        case "=", "!=", "contains": return (word, values(for: before, articles, word))
        case "by" where first == "trend": return (word, filter(TrendKey.allCases.map(\.rawValue), word))
        case "width", "window", "limit", "offset", "min": return (word, [])
        default:
            if articles.field(named: previous) != nil, ["where", "and", "or", "not", "("].contains(before) {
                return (word, filter(["contains", "matches", "in", "not"], word))
            }
            let hasWhere = words.contains { $0.lowercased() == "where" }
            let used = Set(words.map { $0.lowercased() })
            return (word, filter(hasWhere ? options.filter { !used.contains($0) } + ["and", "or"] : options, word))
        }
    }

    /// The target named in a `select`/`count` statement (after the verb, or after `from`).
    func statementTarget(_ words: [String]) -> TargetSpec? {
        if words.first?.lowercased() == "metric" { return Schema.spec(.figures) }
        if let from = words.firstIndex(where: { $0.lowercased() == "from" }), from + 1 < words.count {
            return Schema.target(named: words[from + 1])
        }
        return words.count >= 2 ? Schema.target(named: words[1]) : nil
    }

    /// Names from the corpus that a field's values can take.
    func values(for fieldName: String, _ target: TargetSpec?, _ word: String) -> [String] {
        let field = fieldName.lowercased()
        let kind: Set<String>
        switch (target?.target, field) {
        case (.sections?, "name"), (_, "section"): kind = corpus.names.sections
        case (.sources?, "name"), (_, "source"), (_, "sources"): kind = corpus.names.sources
        case (_, "issue"), (.issues?, "id"): kind = Set(corpus.issues.map(\.id))
        default: return []
        }
        return filter(Array(kind), word)
    }

    /// The text before the word under the cursor, and that word (bare, or inside an open quote).
    func splitWord(_ text: String) -> (String, String) {
        var inQuote: Character?
        var wordStart = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = inQuote {
                if c == q { inQuote = nil; wordStart = text.index(after: i) }
            } else if c == "\"" || c == "'" {
                inQuote = c
                wordStart = text.index(after: i)
            } else if " \t(),=<>!".contains(c) {
                wordStart = text.index(after: i)
            }
            i = text.index(after: i)
        }
        var before = String(text[..<wordStart])
        if inQuote != nil { before.removeLast() }
        return (before, String(text[wordStart...]))
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .word(let w), .string(let w): return w
        case .symbol(let s): return s
        case .pattern(let p): return "/" + p + "/"
        case .end: return ""
        }
    }

    /// Candidates that start with `word` (ASCII case-insensitively), sorted.
    func filter(_ candidates: [String], _ word: String) -> [String] {
        let lower = word.lowercased()
        return candidates.filter { $0.lowercased().hasPrefix(lower) }.sorted()
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
