/// `.help` and `.fields` text, generated from the same tables the parser and session use.
public enum HelpText {
    static let statements: [(name: String, usage: String, help: String)] = [
        ("select", "select <target> [field, …] [where …] [order by …] [limit N] [offset M]", "rows of a target (all fields when none are named)"),
        ("select", "select field, … from <target> …", "the same, in SQL order"),
        ("select", "select <target> field, …, count(*), sum(f), avg(f), min(f), max(f), count(distinct f) [where …] group by field, … [order by …]",
         "one row per group with aggregates; amounts in several units are never summed"),
        ("count", "count <target> [where …] [by field, …] [order by field|count [desc]] [limit N] [offset M]",
         "number of rows, or rows per combination of values"),
        ("show", "show <article-id>", "one whole article"),
        ("metric", "metric <name> [where …] [by year|issue|section|subject[, second key]] [order by …] [limit N]",
         "the figures of a metric, or the latest per key; by year adds prev and growth"),
        ("kwic", "kwic <word>|/regex/ [where …] [width N] [limit N] [offset M]", "every occurrence in paragraphs with N characters of context (20)"),
        ("freq", "freq words|chars|bigrams|ngrams N|sources|metrics [where …] [limit N] [offset M]",
         "frequency list: term, count, share (words: articles and dp; ngrams: articles)"),
        ("collocates", "collocates <word> [where …] [window N] [limit N] [offset M]", "words within N (5) of the word more often than chance, by log-likelihood"),
        ("trend", "trend <word>|/regex/ [where …] by year|month|issue|section|source", "occurrences per key: count, articles, chars, per_10k"),
        ("keywords", "keywords where <cond> [vs <cond>] [min N] [limit N] [offset M] [negative]",
         "words more frequent in the first set of articles than the second (all others), by log-likelihood"),
    ]

    public static func overview() -> String {
        var text = "Statements:\n"
        for s in statements { text += "  \(s.usage)\n      \(s.help)\n" }
        text += "Conditions: field = != < <= > >= contains matches in (…) value, with and, or, not, ( );\n"
        text += "in kwic, freq and collocates they are on articles.\n"
        text += "Separate statements with ';'. '#' and '--' start comments. A line ending in '\\' goes on;\n"
        text += "so does one with an open ( or quote, until a line starts a statement or a meta command.\n"
        text += "Targets: " + Schema.targets.map(\.name).joined(separator: ", ") + " (.fields TARGET lists fields)\n"
        text += "Meta commands:\n"
        let usages = MetaCommands.all.map { "." + $0.name + ($0.arguments.isEmpty ? "" : " " + $0.arguments) }
        let width = usages.map(\.count).max() ?? 0
        for (usage, command) in zip(usages, MetaCommands.all) {
            text += "  " + usage + String(repeating: " ", count: width + 2 - usage.count) + command.help + "\n"
        }
        text += "Output modes (.mode, -m):\n"
        for mode in OutputMode.allCases {
            text += "  " + mode.rawValue + String(repeating: " ", count: 10 - mode.rawValue.count) + mode.help + "\n"
        }
        return text
    }

    /// `.help TOPIC`: a meta command, a statement, a target or an output mode.
    public static func topic(_ topic: String) -> String {
        let key = topic.lowercased().trimmingCharacters(in: ".")
        if let command = MetaCommands.named(key) {
            return ".\(command.name) \(command.arguments)\n  \(command.help)\n"
        }
        let matching = statements.filter { $0.name == key }
        if !matching.isEmpty { return matching.map { "\($0.usage)\n  \($0.help)\n" }.joined() }
        if let spec = Schema.target(named: key) { return "\(spec.name): \(spec.help)\n" + fields(of: spec) }
        if let mode = OutputMode(rawValue: key) { return "\(mode.rawValue): \(mode.help)\n" }
        let all = MetaCommands.all.map(\.name) + statements.map(\.name) + Schema.targets.map(\.name) + OutputMode.allCases.map(\.rawValue)
        let hint = Suggest.nearest(key, in: all).map { "; did you mean '\($0)'?" } ?? "; .help lists the topics"
        return "no help on '\(topic)'\(hint)\n"
    }

    public static func targets() -> String {
        Schema.targets.map { spec in
            spec.name + String(repeating: " ", count: 12 - spec.name.count) + spec.help + "\n"
        }.joined()
    }

    public static func fields(of spec: TargetSpec) -> String {
        spec.fields.map { field in
            field.name + String(repeating: " ", count: 13 - field.name.count)
                + field.type.rawValue + String(repeating: " ", count: 9 - field.type.rawValue.count) + field.help + "\n"
        }.joined()
    }
}
