#if canImport(Glibc)
import Glibc
#endif

/// The vocabulary the figure extractor (docs/FIGURES.md) and word segmentation (docs/WORDS.md) read: one data file each under
/// `Sources/JianbaoCorpus/Lexicons/`, built into the program, extended by the user's files of
/// the same names in `$JIANBAO_LEXICONS`, else `$XDG_CONFIG_HOME/jianbao/lexicons`, else
/// `~/.config/jianbao/lexicons`.
///
/// A class: every paragraph's extractor refers to it, and copying a struct of two dozen arrays
/// per paragraph was measurable (docs/BENCHMARKS.md).
public final class Lexicon: Sendable {
    /// Units, longest first.
    public let units: [String]
    /// Magnitude words with factors, longest first.
    public let magnitudes: [(word: String, factor: Double)]
    /// Measure words of the count-before-noun pattern.
    public let measures: Set<String>
    /// Qualifier words by where they stand, longest first.
    public let qualifiersBefore: [String]
    public let qualifiersBetween: [String]
    public let qualifiersAfter: [String]
    /// Change phrases with their sign (+1, -1, or 0 for 持平), longest first.
    public let changes: [(phrase: String, sign: Int)]
    /// Words set aside between a metric and its number, longest first.
    public let verbs: [String]
    /// Alias → metric names.
    public let aliases: [String: [String]]
    /// Suffixes that make a number a date, rank or ordinal, longest first.
    public let notFigures: [String]
    /// Known metric words, longest first.
    public let metrics: [String]
    /// Known subject names, longest first.
    public let subjects: [String]
    /// Words segmentation keeps whole (terms.txt), longest first.
    public let terms: [String]
    /// Characters segmentation attaches to the word before them (suffixes.txt).
    public let suffixes: [String]
    /// Function words the word lists leave out while `.stopwords` is on (stopwords.txt).
    public let stopwords: Set<String>
    /// Every name of an organisation (organisations.txt) → its canonical name.
    public let organisationKeys: [String: String]

    /// The canonical name of an organisation (`市国资委` → `上海市国资委`); the name itself
    /// when the lexicon does not know it.
    public func canonicalName(_ name: String) -> String { organisationKeys[name] ?? name }

    /// All names of the organisation `name` is a name of, itself included.
    public func names(sameAs name: String) -> [String] {
        let key = canonicalName(name)
        return [name] + organisationKeys.filter { $0.value == key && $0.key != name }.map(\.key).sorted()
    }
    /// Segmentation's rules for names and affixes (rules.txt): words by kind (organisation,
    /// place-organisation, title, surname, function, prefix).
    public let segmentationRules: [String: [String]]

    /// Everything word segmentation keeps whole, from these lexicons: terms, metrics and
    /// subjects (the corpus adds its organisations).
    public var segmentationWords: [String] { terms }

    /// What may follow a number as part of it for segmentation: magnitudes, units, both
    /// together, and the date and rank words (3.65万亿元, 45家, 2023年).
    public var quantityWords: [String] {
        let magnitudeWords = [""] + magnitudes.map(\.word)
        let between = [""] + qualifiersBetween
        // 3.65万亿元, 300余家, 3万余家, 2023年: magnitude, qualifier and unit in any of these orders.
        var words = notFigures
        for m in magnitudeWords {
            for q in between {
                words.append(m + q)
                words += units.map { m + q + $0 }
                if !m.isEmpty && !q.isEmpty { words += units.map { q + m + $0 } }
            }
        }
        return words.filter { !$0.isEmpty }
    }

    /// The lists above prepared for matching in scalar buffers.
    let unitWords: Words, notFigureWords: Words, magnitudeWords: Words
    let betweenWords: Words, afterWords: Words, beforeWords: Words
    let changeWords: Words, verbWords: Words, boundaryVerbWords: Words
    /// The sign of each change phrase, by its text.
    /// The sign of each of `changeWords`, and whether it says 分别, by index in its `strings`.
    let changeSignByIndex: [Int], changeIsRespectively: [Bool]
    /// Per unit in `unitWords`: a key shared by spellings of one unit (% and ％), and whether
    /// it is a percentage, percentage points, or a measure word.
    let unitKeys: [Int], unitIsPercent: [Bool], unitIsPoints: [Bool], unitIsMeasure: [Bool]
    /// Per magnitude in `magnitudeWords`: its power of ten.
    let magnitudeExponents: [Int]

    /// The built-in lexicons.
    public static let builtIn: Lexicon = Lexicon(files: BuiltInLexicons.files)

    /// The built-in lexicons plus the user's, and a diagnostic for each user file that could
    /// not be read.
    public static func withUserFiles() -> (Lexicon, [Diagnostic]) {
        guard let folder = userFolder() else { return (builtIn, []) }
        var files = BuiltInLexicons.files
        var diagnostics: [Diagnostic] = []
        for name in BuiltInLexicons.files.keys.sorted() {
            let path = folder + "/" + name
            guard access(path, F_OK) == 0 else { continue }
            switch FileReader.read(path) {
            case .success(let bytes): files[name, default: ""] += "\n" + String(decoding: bytes, as: UTF8.self)
            case .failure: diagnostics.append(Diagnostic(.error, file: path, "cannot read this lexicon; the built-in one is used"))
            }
        }
        return (Lexicon(files: files), diagnostics)
    }

    static func userFolder() -> String? {
        if let dir = getenv("JIANBAO_LEXICONS"), dir.pointee != 0 { return String(cString: dir) }
        if let config = getenv("XDG_CONFIG_HOME"), config.pointee != 0 { return String(cString: config) + "/jianbao/lexicons" }
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) + "/.config/jianbao/lexicons" }
        return nil
    }

    init(files: [String: String]) {
        func lines(_ name: String) -> [[String]] {
            // A line starting with # is a comment; fields are separated by tabs or spaces.
            (files[name] ?? "").split(separator: "\n").compactMap { line in
                guard !line.hasPrefix("#") else { return nil }
                let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "\r" }).map(String.init)
                return fields.isEmpty ? nil : fields
            }
        }
        func longestFirst(_ words: [String]) -> [String] {
            Array(Set(words)).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        }
        units = longestFirst(lines("units.txt").map { $0[0] })
        magnitudes = lines("magnitudes.txt").compactMap { f in f.count == 2 ? Double(f[1]).map { (f[0], $0) } : nil }
            .sorted { $0.0.count > $1.0.count }
        measures = Set(lines("measures.txt").map { $0[0] })
        let qualifiers = lines("qualifiers.txt")
        qualifiersBefore = longestFirst(qualifiers.filter { $0.count < 2 || $0[1] == "before" }.map { $0[0] })
        qualifiersBetween = longestFirst(qualifiers.filter { $0.count == 2 && $0[1] == "between" }.map { $0[0] })
        qualifiersAfter = longestFirst(qualifiers.filter { $0.count == 2 && $0[1] == "after" }.map { $0[0] })
        changes = lines("changes.txt").compactMap { f -> (String, Int)? in
            guard f.count == 2 else { return nil }
            return (f[0], f[1] == "+" ? 1 : f[1] == "-" ? -1 : 0)
        }.sorted { $0.0.count > $1.0.count }
        verbs = longestFirst(lines("verbs.txt").map { $0[0] })
        var aliasTable: [String: [String]] = [:]
        for f in lines("aliases.txt") where f.count >= 2 { aliasTable[f[0], default: []] += f.dropFirst() }
        aliases = aliasTable
        notFigures = longestFirst(lines("not-figures.txt").map { $0[0] })
        metrics = longestFirst(lines("metrics.txt").map { $0[0] })
        subjects = longestFirst(lines("subjects.txt").map { $0[0] })
        terms = longestFirst(lines("terms.txt").map { $0[0] })
        suffixes = longestFirst(lines("suffixes.txt").map { $0[0] }.filter { $0.unicodeScalars.count == 1 })
        stopwords = Set(lines("stopwords.txt").map { $0[0] })
        var keys: [String: String] = [:]
        // Tabs only: an organisation's name may hold a space.
        for line in (files["organisations.txt"] ?? "").split(separator: "\n") where !line.hasPrefix("#") {
            let names = line.split(separator: "\t").map { $0.trimmingCharacters(in: " \r") }.filter { !$0.isEmpty }
            guard let canonical = names.first else { continue }
            for name in names { keys[name] = canonical }
        }
        organisationKeys = keys
        var rules: [String: [String]] = [:]
        for f in lines("rules.txt") where f.count == 2 { rules[f[0], default: []].append(f[1]) }
        segmentationRules = rules
        unitWords = Words(units)
        notFigureWords = Words(notFigures)
        magnitudeWords = Words(magnitudes.map(\.word))
        betweenWords = Words(qualifiersBetween)
        afterWords = Words(qualifiersAfter)
        beforeWords = Words(qualifiersBefore)
        changeWords = Words(changes.map(\.phrase))
        let changeSigns = Dictionary(changes.map { ($0.phrase, $0.sign) }, uniquingKeysWith: { first, _ in first })
        changeSignByIndex = changeWords.strings.map { changeSigns[$0] ?? 0 }
        changeIsRespectively = changeWords.strings.map { $0.contains("分别") }
        verbWords = Words(verbs)
        boundaryVerbWords = Words(verbs.filter { $0.unicodeScalars.count >= 2 })
        let unitStrings = unitWords.strings
        unitKeys = unitStrings.map { u in unitStrings.firstIndex(of: u == "％" ? "%" : u) ?? 0 }
        unitIsPercent = unitStrings.map { $0 == "%" || $0 == "％" }
        unitIsPoints = unitStrings.map { $0 == "个百分点" }
        let measureSet = measures
        unitIsMeasure = unitStrings.map { measureSet.contains($0) }
        let factors = Dictionary(magnitudes.map { ($0.word, $0.factor) }, uniquingKeysWith: { a, _ in a })
        magnitudeExponents = magnitudeWords.strings.map { Int((factors[$0] ?? 1).exponentOfTen) }
    }
}
