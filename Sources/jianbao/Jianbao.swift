@preconcurrency import Glibc
import ArgumentParser
import JianbaoCorpus
import JianbaoQuery

extension OutputMode: ExpressibleByArgument {}

/// The command line (LANGUAGE.md "The command line"). Parsing is swift-argument-parser's;
/// what runs is `Driver`.
struct Jianbao: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "jianbao",
        abstract: "Query archives of Chinese bulletins (简报) like tables.",
        discussion: """
            CORPUS is one or more bulletin files or folders (every *.txt below a folder). With none, \
            $JIANBAO_CORPUS if set, else the sample corpus built into the program.

            With no -c or -f, statements are read from standard input when it is not a terminal, \
            and an interactive shell starts when it is. Exit status: 0 success, 1 a statement \
            failed, 2 usage error, 3 the corpus could not be loaded.

            Examples:
              jianbao -c 'select articles title where section = 金融工作'
              jianbao -m csv -f report.jbq archive/ | sort
              jianbao -D word=科创 -f Examples/keyword-sentences.jbq archive/
            """,
        version: version
    )

    @Option(name: [.customShort("c"), .customLong("command")], help: ArgumentHelp("Run these statements, then exit (repeatable).", valueName: "TEXT"))
    var commands: [String] = []

    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("Run a script file, then exit (repeatable; - reads standard input).", valueName: "SCRIPT"))
    var files: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Output mode (default: table on a terminal, tsv otherwise).", valueName: "MODE"))
    var mode: OutputMode?

    @Flag(name: .customLong("no-header"), help: "Omit the header row.")
    var noHeader = false

    @Flag(inversion: .prefixedNo, help: "Stop at the first error (default: on for -c/-f/stdin, off interactively).")
    var bail: Bool?

    @Option(name: [.customShort("D"), .customLong("define")], help: ArgumentHelp("Define a script variable, used as $NAME or ${NAME} (repeatable).", valueName: "NAME=VALUE"))
    var defines: [String] = []

    // Unconditional: `--timeout -1` is a bad number, not a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Stop any statement that runs longer (default: none, 60 s for statements with matches); as .timeout.", valueName: "SECONDS"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Read text files that are neither UTF-8 nor marked by a BOM in this encoding (GBK, GB18030, Big5, UTF-16LE … any ICU name) instead of detecting it.", valueName: "NAME"))
    var encoding: String?

    @Flag(help: "Load the corpus, print every diagnostic, exit 1 if any is an error.")
    var check = false

    @Flag(help: "Refuse what a script from someone else should not do: run commands, write files, read files outside the corpus and the script's folder (as .safe on).")
    var safe = false

    @Flag(name: .customLong("no-cache"), help: "Read the corpus without its snapshot in ~/.cache/jianbao and write none (as JIANBAO_NO_CACHE=1).")
    var noCache = false

    @Flag(name: .shortAndLong, help: "No banner in the interactive shell.")
    var quiet = false

    @Flag(name: .customLong("norc"), help: "Do not run ~/.jianbaorc when the shell starts.")
    var noRC = false

    @Argument(help: ArgumentHelp("Bulletin files or folders. They are also a script's $1, $2, …; arguments after -- are script arguments only.", valueName: "CORPUS"))
    var corpus: [String] = []

    mutating func validate() throws {
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout takes a number of seconds above 0, not '\(Value.format(timeout))'")
        }
        if let encoding, !TextDecoder.isKnown(TextDecoder.converterName(encoding)) {
            throw ValidationError("--encoding: ICU knows no encoding named '\(encoding)' (try GB18030, GBK, Big5, UTF-16LE, UTF-16BE)")
        }
        for define in defines {
            let parts = define.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, Variables.isValidName(String(parts[0])) else {
                throw ValidationError("-D takes NAME=VALUE with NAME made of letters, digits and _, not '\(define)'")
            }
        }
    }
}

/// Entry point: parse, then run; every way out goes through `exit` with LANGUAGE.md's codes.
@main
enum Main {
    static func main() {
        // A parent may pass SIGPIPE ignored or not; either way a closed pipe must end us
        // quietly with status 0, which Output does on EPIPE.
        signal(SIGPIPE, SIG_IGN)
        padHeapGrowth()
        MemoryHeadroom.adaptToAddressSpaceLimit()
        // A closed standard descriptor (`jianbao … >&-`) would be reused by the next open:
        // results could land in a script's temporary output file or an internal descriptor.
        // Hold each one with /dev/null opened the wrong way, so a write fails with EBADF and
        // is reported as a write error.
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) < 0 {
            let null = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
            if null >= 0, null != fd { dup2(null, fd); close(null) }
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        let command: Jianbao
        do {
            command = try Jianbao.parse(arguments)
        } catch {
            let code = Jianbao.exitCode(for: error)
            if code == .success {
                print(Jianbao.fullMessage(for: error))
                exit(0)
            }
            var text = Jianbao.fullMessage(for: error)
            if !text.hasSuffix("\n") { text += "\n" }
            writeError(text)
            exit(2)
        }
        exit(Driver(command, order: ScriptOrder.recover(from: arguments),
                    scriptOnly: ScriptOrder.argumentsAfterDoubleDash(arguments)).run())
    }
}

/// Lets malloc grow its heaps 32 MiB at a time rather than 128 KiB (`mallopt(M_TOP_PAD)`): a
/// load makes tens of megabytes of small arrays, and growing the heap for each bit of them
/// was a tenth of a warm one-shot run's system time (mprotect, page faults). Address space
/// is reserved, not memory: pages are only used when touched. `malloc.h` is not in Swift's
/// Glibc module, so the function is looked up; without it nothing changes. Not under an
/// address-space limit (`ulimit -v`), where every byte reserved counts.
func padHeapGrowth() {
    guard !MemoryHeadroom.isLimited else { return }
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let M_TOP_PAD: Int32 = -2
    _ = unsafeBitCast(symbol, to: Mallopt.self)(M_TOP_PAD, 32 << 20)
}
