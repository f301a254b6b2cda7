/// The dot-commands (the sqlite3 convention): one table that the session dispatches on and
/// `.help` prints, so the two cannot disagree.
public struct MetaCommand: Sendable {
    public let name: String
    public let arguments: String
    public let help: String
}

public enum MetaCommands {
    public static let all: [MetaCommand] = [
        MetaCommand(name: "help", arguments: "", help: "list these commands, the statements and the output modes"),
        MetaCommand(name: "fields", arguments: "[TARGET]", help: "list the targets, or the fields of one target with their types"),
        MetaCommand(name: "corpus", arguments: "", help: "what is loaded: issues, sections, articles, diagnostics"),
        MetaCommand(name: "check", arguments: "", help: "list the loader's diagnostics"),
        MetaCommand(name: "mode", arguments: "[MODE]", help: "show or set the output mode: " + OutputMode.allCases.map(\.rawValue).joined(separator: "|")),
        MetaCommand(name: "headers", arguments: "on|off", help: "write a header row (tsv)"),
        MetaCommand(name: "timer", arguments: "on|off", help: "print each statement's run time to standard error"),
        MetaCommand(name: "quit", arguments: "", help: "leave"),
        MetaCommand(name: "exit", arguments: "", help: "leave"),
    ]

    public static func named(_ name: String) -> MetaCommand? {
        all.first { $0.name == name.lowercased() }
    }
}
