// swift-tools-version:5.3
// libFuzzer targets for Jianbao (issue 8). Built and run by Scripts/fuzz, which passes
// -sanitize=fuzzer,address and -parse-as-library: libFuzzer supplies `main` and calls
// LLVMFuzzerTestOneInput with each input. Tools version 5.3 on purpose: its targets with a
// main.swift are executables without SwiftPM's renamed `main`, which libFuzzer's would clash with.
import PackageDescription

let targets = ["FuzzStatements", "FuzzReader", "FuzzFigures", "FuzzFormatters", "FuzzWords", "FuzzForms", "FuzzSnapshot"]

let package = Package(
    name: "JianbaoFuzz",
    dependencies: [.package(name: "Jianbao", path: "..")],
    targets: targets.map { name in
        .target(
            name: name,
            // FuzzForms reads PDFs, Word files and web pages: libJianbaoPdf.so (poppler) and
            // libJianbaoForms.so (libxml2, libzip), which the program opens on demand, are built
            // and linked beside it so that its inputs reach them.
            dependencies: [.product(name: "JianbaoFuzzing", package: "Jianbao")]
                + (name == "FuzzForms" ? [.product(name: "JianbaoPdf", package: "Jianbao"),
                                          .product(name: "JianbaoForms", package: "Jianbao")] : [])
        )
    }
)
