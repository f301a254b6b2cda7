@preconcurrency import Glibc
import CEditShim

/// Interactive line reading through libedit's wide-character API (PLATFORM.md "libedit").
final class EditLine {
    let editor: OpaquePointer
    let history: OpaquePointer
    /// Set by the ^C binding; the shell drops the line it returns.
    var interrupted = false
    /// Whether the continuation prompt is due.
    var continuing = false

    init?() {
        _ = jb_use_utf8_locale()
        guard let editor = jb_el_init("jianbao") else { return nil }
        guard let history = history_winit() else { el_end(editor); return nil }
        self.editor = editor
        self.history = history
        jb_history_setsize(history, 1000)
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
        jb_el_source_editrc(editor)
    }

    deinit {
        history_wend(history)
        el_end(editor)
    }

    /// The next line without its newline, or nil on ^D at an empty line.
    func readLine() -> String? {
        interrupted = false
        var count: Int32 = 0
        guard let wide = el_wgets(editor, &count), count > 0 else { return nil }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while wide[i] != 0 {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: wide[i])) { scalars.append(scalar) }
            i += 1
        }
        var line = String(scalars)
        if line.hasSuffix("\n") { line.removeLast() }
        return line
    }

    /// Adds a whole statement to the history (a multi-line statement is one entry).
    func remember(_ statement: String) {
        var wide = statement.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        jb_history_enter(history, wide)
    }
}

/// Wide strings libedit keeps pointers to: allocated once, never freed (PLATFORM.md).
enum Prompts {
    nonisolated(unsafe) static let main = wide("jianbao> ")
    nonisolated(unsafe) static let more = wide("   ...> ")
    nonisolated(unsafe) static let interruptName = wide("jianbao-interrupt")
    nonisolated(unsafe) static let interruptHelp = wide("Abandon the line being edited")
    nonisolated(unsafe) static let controlC = wide("^C")

    static func wide(_ text: String) -> UnsafeMutablePointer<wchar_t> {
        let scalars = Array(text.unicodeScalars)
        let pointer = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count + 1)
        for (i, scalar) in scalars.enumerated() { pointer[i] = wchar_t(bitPattern: scalar.value) }
        pointer[scalars.count] = 0
        return pointer
    }
}
