/// Recovers the order in which `-c` and `-f` were given, which the argument parser's
/// separate arrays lose, so that `-f setup.jbq -c 'count articles'` runs the script first.
enum ScriptOrder {
    enum Kind { case command, file }

    /// How many positional arguments came after `--` (script arguments, not corpus paths).
    static func argumentsAfterDoubleDash(_ arguments: [String]) -> Int {
        guard let dash = arguments.firstIndex(of: "--") else { return 0 }
        return arguments.count - dash - 1
    }

    static func recover(from arguments: [String]) -> [Kind] {
        var kinds: [Kind] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--" { break }
            if argument == "-c" || argument == "--command" { kinds.append(.command); skipNext = true }
            else if argument == "-f" || argument == "--file" { kinds.append(.file); skipNext = true }
            else if argument.hasPrefix("--command=") || (argument.hasPrefix("-c") && !argument.hasPrefix("--")) { kinds.append(.command) }
            else if argument.hasPrefix("--file=") || (argument.hasPrefix("-f") && !argument.hasPrefix("--")) { kinds.append(.file) }
            else if ["-m", "--mode", "-D", "--define"].contains(argument) { skipNext = true }
        }
        return kinds
    }
}
