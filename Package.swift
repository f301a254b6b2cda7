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
        // PDF text through poppler, opened with dlopen when the first PDF is read (CPdfLoader):
        // libJianbaoPdf.so beside the program. `swift build` and `--build-tests` build it,
        // `--product jianbao` alone does not: Scripts/run, install and benchmark-formats build
        // it too (the other benchmarks read text only).
        .library(name: "JianbaoPdf", type: .dynamic, targets: ["CPdf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Byte primitives Swift's Glibc overlay does not expose (memmem) and a fast
        // UTF-8 validator; the corpus hot path calls them on whole file buffers.
        .target(name: "CBytes"),
        // PCRE2 for `matches`, behind a small API (Debian's libpcre2-dev).
        .target(name: "CRegex", linkerSettings: [.linkedLibrary("pcre2-8")]),
        // SQLite for `.export sqlite` (libsqlite3-dev), behind a header with no SQLite types.
        .target(name: "CSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        // ICU's dictionary word break iterator for Chinese (libicu-dev), behind a header with
        // no ICU types.
        .target(name: "CSegment", linkerSettings: [.linkedLibrary("icuuc")]),
        // ICU's converters, charset detector and NFKC data for reading text that is not
        // UTF-8 (GB18030, UTF-16, Big5 …), behind a header with no ICU types.
        .target(name: "CConvert", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
        // libxml2 (Debian's libxml2-dev): its XML parser for Word's document.xml and its HTML
        // parser for web pages, behind CMarkup's small API.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CMarkup", dependencies: ["CLibXML2"]),
        // poppler's C++ API (Debian's libpoppler-cpp-dev) for PDF text, behind CPdf's C header;
        // CPdf is linked only into the JianbaoPdf library, which CPdfLoader opens on demand.
        .systemLibrary(name: "CPopplerCpp", pkgConfig: "poppler-cpp", providers: [.apt(["libpoppler-cpp-dev"])]),
        .target(name: "CPdf", dependencies: ["CPopplerCpp"]),
        .target(name: "CPdfLoader"),
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
            "CBytes", "CSegment", "CConvert", "CMarkup", "CPdfLoader",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
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
