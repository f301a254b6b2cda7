import CLoader

/// libJianbaoForms.so, the readers of Word files and web pages (libxml2, libzip) and ICU's
/// charset detector, which CLoader opens the first time a file needs them: starting the
/// program and reading UTF-8 text map none of those libraries.
enum FormsLibrary {
    /// Why the library cannot be opened (dlerror's words), or nil when it can; opens it the
    /// first time it is asked.
    static var unavailable: String? { jb_forms_unavailable().map { String(cString: $0) } }

    /// The error for one file of the kind `kind` ("Word files", "web pages") that could not be
    /// read because the library could not be opened for the reason `why`.
    static func missing(_ kind: String, _ why: String) -> String {
        "\(kind) cannot be read (\(why)); install Debian's libxml2 and libzip4 and keep libJianbaoForms.so beside jianbao; skipped"
    }
}
