/// `.help` and `.fields` text, generated from the same tables the parser and session use.
public enum HelpText {
    public static func overview() -> String {
        var text = "Statements:\n"
        text += "  select <target> [field, …]       rows of a target (all fields when none are named)\n"
        text += "  select field, … from <target>    the same, in SQL order\n"
        text += "  count <target>                   number of rows\n"
        text += "  show <article-id>                one whole article\n"
        text += "Separate statements with ';'. '#' and '--' start comments. A line ending in '\\' goes on.\n"
        text += "Targets: " + Schema.targets.map(\.name).joined(separator: ", ") + " (.fields TARGET lists fields)\n"
        text += "Meta commands:\n"
        let width = MetaCommands.all.map { $0.name.count + $0.arguments.count }.max() ?? 0
        for command in MetaCommands.all {
            let usage = "." + command.name + (command.arguments.isEmpty ? "" : " " + command.arguments)
            text += "  " + usage + String(repeating: " ", count: width + 3 - usage.count) + command.help + "\n"
        }
        text += "Output modes:\n"
        for mode in OutputMode.allCases {
            text += "  " + mode.rawValue + String(repeating: " ", count: 8 - mode.rawValue.count) + mode.help + "\n"
        }
        return text
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
