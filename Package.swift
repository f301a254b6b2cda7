// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Jianbao",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jianbao", targets: ["jianbao"]),
        .library(name: "JianbaoCorpus", targets: ["JianbaoCorpus"]),
        .library(name: "JianbaoQuery", targets: ["JianbaoQuery"]),
        .library(name: "JianbaoFuzzing", targets: ["JianbaoFuzzing"]),
        // PDF text through poppler, opened with dlopen when the first PDF is read (CLoader):
        // libJianbaoPdf.so beside the program. `swift build` and `--build-tests` build it,
        // `--product jianbao` alone does not: Scripts/run, install and benchmark-formats build
        // it too (the other benchmarks read text only).
        .library(name: "JianbaoPdf", type: .dynamic, targets: ["CPdf"]),
        // Word and web pages through libxml2 and libzip, and ICU's charset detector
        // (libicui18n), opened with dlopen by CLoader for the first file that needs them, so
        // that start-up and UTF-8 text map none of these libraries: libJianbaoForms.so beside
        // the program, built like JianbaoPdf.
        .library(name: "JianbaoForms", type: .dynamic, targets: ["CMarkup", "CDetect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Byte primitives Swift's Glibc overlay does not expose (memmem) and a fast
        // UTF-8 validator; the corpus hot path calls them on whole file buffers.
        .target(name: "CBytes"),
        // PCRE2 for `matches`, behind a small API (Debian's libpcre2-dev).
        .target(name: "CRegex", dependencies: ["CBytes"], linkerSettings: [.linkedLibrary("pcre2-8")]),
        // SQLite for `.export sqlite` (libsqlite3-dev), behind a header with no SQLite types.
        .target(name: "CSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        // ICU's dictionary word break iterator for Chinese (libicu-dev), behind a header with
        // no ICU types.
        .target(name: "CSegment", linkerSettings: [.linkedLibrary("icuuc")]),
        // ICU's converters and NFKC data for reading text that is not UTF-8 (GB18030,
        // UTF-16, Big5 …), behind a header with no ICU types.
        .target(name: "CConvert", linkerSettings: [.linkedLibrary("icuuc")]),
        // ICU's charset detector (libicui18n), only in the JianbaoForms library.
        .target(name: "CDetect", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
        // libxml2 (Debian's libxml2-dev): its XML parser for Word's document.xml and its HTML
        // parser for web pages; libzip (libzip-dev) reads the Word file's ZIP archive. Behind
        // CMarkup's small API, only in the JianbaoForms library.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        .target(name: "CMarkup", dependencies: ["CLibXML2", "CLibZip", "CDocxCodes"]),
        // The codes of a Word file's unpacking, shared by CMarkup and CLoader: a header only,
        // so that naming them links nothing into the program.
        .target(name: "CDocxCodes"),
        // poppler's C++ API (Debian's libpoppler-cpp-dev) for PDF text, behind CPdf's C header;
        // CPdf is linked only into the JianbaoPdf library, which CLoader opens on demand.
        .systemLibrary(name: "CPopplerCpp", pkgConfig: "poppler-cpp", providers: [.apt(["libpoppler-cpp-dev"])]),
        .target(name: "CPdf", dependencies: ["CPopplerCpp"]),
        // Opens libJianbaoPdf.so and libJianbaoForms.so on first use (dlopen).
        .target(name: "CLoader", dependencies: ["CDocxCodes"]),
        // The system libedit (histedit.h); installed by Scripts/setup as libedit-dev.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Fixed-signature wrappers for libedit's variadic el_set/el_get/history calls,
        // which Swift cannot call directly.
        .target(name: "CEditShim", dependencies: ["CEditLine"]),
        // Reading bulletins: bytes → lines → issues, sections, articles, paragraphs.
        .target(name: "JianbaoCorpus", dependencies: [
            "CBytes", "CSegment", "CConvert", "CLoader",
        ], exclude: ["Lexicons"]),
        // The query language and output formatting; knows nothing of terminals.
        .target(name: "JianbaoQuery", dependencies: ["JianbaoCorpus", "CBytes", "CRegex", "CSQLite"]),
        // The program: command line, script input and the libedit shell.
        .executableTarget(
            name: "jianbao",
            dependencies: [
                "JianbaoCorpus", "JianbaoQuery", "CEditShim", "CBytes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What each libFuzzer target (Fuzz/) does with an input, shared with the tests that
        // replay saved crashes.
        .target(name: "JianbaoFuzzing", dependencies: ["JianbaoCorpus", "JianbaoQuery"]),
        // Golden-file comparison, paths and a process runner shared by the test targets.
        .target(name: "JianbaoTestSupport", path: "Tests/JianbaoTestSupport"),
        .testTarget(name: "JianbaoCorpusTests", dependencies: ["JianbaoCorpus", "JianbaoTestSupport"], exclude: ["Golden", "Figures", "Segmentation"]),
        .testTarget(name: "JianbaoQueryTests", dependencies: ["JianbaoQuery", "JianbaoFuzzing", "JianbaoTestSupport"]),
        // Runs the built executable: golden scripts, pipes, exit codes.
        .testTarget(name: "JianbaoCLITests", dependencies: ["jianbao", "JianbaoTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
