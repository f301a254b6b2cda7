@preconcurrency import Glibc
import CEditShim
import JianbaoQuery

/// Interactive line reading through libedit's wide-character API (PLATFORM.md "libedit").
final class EditLine {
    let editor: OpaquePointer
    let history: OpaquePointer
    /// Set by the ^C binding; the shell drops the line it returns.
    var interrupted = false
    /// Whether the continuation prompt is due.
    var continuing = false
    /// The completion logic: text before the cursor → the word and its candidates.
    var complete: ((String) -> (word: String, candidates: [String]))?

    init?() {
        _ = jb_use_utf8_locale()
        guard let editor = jb_el_init("jianbao") else { return nil }
        guard let history = history_winit() else { el_end(editor); return nil }
        self.editor = editor
        self.history = history
        jb_history_setsize(history, Int32(Self.historySize))
        jb_history_setunique(history, 1)
        jb_el_set_history(editor, history)
        jb_el_set_editor(editor, "emacs")
        jb_el_set_signal(editor, 1)
        jb_el_set_wprompt(editor, { el in
            guard let el, let data = jb_el_get_clientdata(el) else { return Prompts.main }
            return Unmanaged<EditLine>.fromOpaque(data).takeUnretainedValue().continuing ? Prompts.more : Prompts.main
        })
        jb_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        // ^C clears the line like bash instead of killing the process: the tty stops
        // generating SIGINT while editing, and ^C runs our function.
        jb_el_parse(editor, "setty", "-d", "-isig")
        jb_el_addfn(editor, Prompts.interruptName, Prompts.interruptHelp, { el, _ in
            guard let el, let data = jb_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            Unmanaged<EditLine>.fromOpaque(data).takeUnretainedValue().interrupted = true
            _ = write(1, "^C", 2)
            return UInt8(CC_NEWLINE)
        })
        jb_el_bind(editor, Prompts.controlC, Prompts.interruptName)
        jb_el_addfn(editor, Prompts.completeName, Prompts.completeHelp, { el, _ in
            guard let el, let data = jb_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<EditLine>.fromOpaque(data).takeUnretainedValue().completeAtCursor()
        })
        jb_el_bind(editor, Prompts.tab, Prompts.completeName)
        jb_el_source_editrc(editor)
    }

    deinit {
        history_wend(history)
        el_end(editor)
    }

    /// Entries kept in the history (and its file).
    static let historySize = 2000

    /// What one read of a line brought.
    enum Input {
        case line(String)
        /// ^C: the line (and any statement still open) is abandoned; the shell goes on.
        case interrupted
        /// ^D at an empty line, or the terminal went away.
        case end
    }

    /// The next line without its newline.
    func readLine() -> Input {
        interrupted = false
        var count: Int32 = 0
        let wide = el_wgets(editor, &count)
        // ^C on an empty line makes libedit return no line at all, as ^D does: the flag our
        // binding set is what tells the two apart (treating it as the end quit the shell).
        if interrupted { return .interrupted }
        guard let wide, count > 0 else { return .end }
        var line = Self.string(wide, count: Int(count))
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Tab: inserts what all candidates share; lists them when there is more than one.
    func completeAtCursor() -> UInt8 {
        guard let complete, let info = el_wline(editor) else { return UInt8(CC_ERROR) }
        let before = Self.string(info.pointee.buffer, count: info.pointee.cursor - info.pointee.buffer)
        let (word, candidates) = complete(before)
        guard !candidates.isEmpty else { return UInt8(CC_ERROR) }
        let shared = Self.commonPrefix(candidates)
        var insertion = shared.count > word.count ? String(shared.dropFirst(word.count)) : ""
        if candidates.count == 1, !shared.hasSuffix("/") { insertion += " " }
        if !insertion.isEmpty {
            var wide = insertion.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
            el_winsertstr(editor, &wide)
            if candidates.count == 1 || shared.count > word.count { return UInt8(CC_REFRESH) }
        }
        Self.list(candidates)
        return UInt8(CC_REDISPLAY)
    }

    /// Prints candidates in columns by display width under the line being edited.
    static func list(_ candidates: [String]) {
        let shown = Array(candidates.prefix(200))
        let width = (shown.map(DisplayWidth.of).max() ?? 0) + 2
        let columns = max(1, Int(max(40, jb_terminal_columns(1))) / width)
        var text = "\n"
        for (i, candidate) in shown.enumerated() {
            text += candidate + String(repeating: " ", count: width - DisplayWidth.of(candidate))
            if (i + 1) % columns == 0 || i == shown.count - 1 { text += "\n" }
        }
        if candidates.count > shown.count { text += "… \(candidates.count - shown.count) more\n" }
        text.withCString { _ = write(1, $0, strlen($0)) }
    }

    static func commonPrefix(_ items: [String]) -> String {
        guard var prefix = items.first.map({ Array($0) }) else { return "" }
        for item in items.dropFirst() {
            let chars = Array(item)
            var n = 0
            while n < prefix.count, n < chars.count, String(prefix[n]).lowercased() == String(chars[n]).lowercased() { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return String(prefix)
    }

    static func string(_ wide: UnsafePointer<wchar_t>, count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for i in 0..<count {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: wide[i])) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    // MARK: - History

    /// Adds a whole statement to the history (a multi-line statement is one entry).
    func remember(_ statement: String) {
        // A NUL would end the C string libedit keeps: shown as ␀ instead of cutting the entry.
        var wide = statement.unicodeScalars.map { wchar_t(bitPattern: $0.value == 0 ? 0x2400 : $0.value) }
        wide.append(0)
        jb_history_enter(history, wide)
    }

    /// The entries, oldest first.
    func entries() -> [String] {
        let n = Int(jb_history_count(history))
        return (0..<n).reversed().compactMap { i in
            jb_history_at(history, Int32(i)).map { pointer in
                Self.string(pointer, count: wcslen(pointer))
            }
        }
    }
}

/// Wide strings libedit keeps pointers to: allocated once, never freed (PLATFORM.md).
enum Prompts {
    nonisolated(unsafe) static let main = wide("jianbao> ")
    nonisolated(unsafe) static let more = wide("   ...> ")
    nonisolated(unsafe) static let interruptName = wide("jianbao-interrupt")
    nonisolated(unsafe) static let interruptHelp = wide("Abandon the line being edited")
    nonisolated(unsafe) static let controlC = wide("^C")
    nonisolated(unsafe) static let completeName = wide("jianbao-complete")
    nonisolated(unsafe) static let completeHelp = wide("Complete the word before the cursor")
    nonisolated(unsafe) static let tab = wide("^I")

    static func wide(_ text: String) -> UnsafeMutablePointer<wchar_t> {
        let scalars = Array(text.unicodeScalars)
        let pointer = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count + 1)
        for (i, scalar) in scalars.enumerated() { pointer[i] = wchar_t(bitPattern: scalar.value) }
        pointer[scalars.count] = 0
        return pointer
    }
}
