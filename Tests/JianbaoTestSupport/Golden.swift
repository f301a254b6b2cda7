import Foundation

/// Paths and golden-file comparison shared by the test targets.
public enum TestPaths {
    /// The package root, found from this file's path.
    public static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `../shared/` beside the clone (CI has it there).
    public static let shared = packageRoot + "/../shared"
    public static let seed = shared + "/seed/000_b3e8f2f70fe3def7.txt"
    public static let examples = packageRoot + "/Examples/corpus"

    /// A cache folder (`XDG_CACHE_HOME`) for this test run alone: programs the tests start
    /// write their corpus snapshots there, never in the home folder. Removed at exit.
    public static let cacheHome: String = {
        let path = NSTemporaryDirectory() + "jianbao-test-cache-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestPaths.cacheHome) }
        return path
    }()

    /// A new folder holding `files` (path inside it → UTF-8 text; folders made as needed),
    /// two seconds old when it is returned: a file changed in the last two seconds is read
    /// but not kept in a snapshot (docs/SNAPSHOT.md), and a snapshot test needs its files
    /// kept. Under `cacheHome`, so removed at exit.
    public static func settledFolder(_ files: [String: String]) throws -> String {
        let folder = cacheHome + "/files-" + UUID().uuidString
        for (path, text) in files {
            let file = folder + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: false, encoding: .utf8)
        }
        Thread.sleep(forTimeInterval: 2.1)
        return folder
    }

    /// A fresh, empty cache folder of its own (for a test that looks at what is cached).
    public static func freshCacheHome() -> String {
        let path = cacheHome + "/" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The built `jianbao` executable: beside the test bundle in the build folder.
    public static let executable: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        while !dir.isEmpty, dir != "/" {
            let candidate = dir + "/jianbao"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = (dir as NSString).deletingLastPathComponent
        }
        return packageRoot + "/.build/debug/jianbao"
    }()
}

public enum Golden {
    public static func environment(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }

    /// Whether expectations are to be rewritten (`RECORD=1 swift test`).
    public static var recording: Bool { ProcessInfo.processInfo.environment["RECORD"] == "1" }

    /// Compares `actual` with the file at `path`; with RECORD=1 writes it instead. Returns a
    /// line diff when they differ, nil when they agree.
    public static func check(_ actual: String, against path: String) -> String? {
        if recording {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "missing expectation \(path) (run with RECORD=1 to create it)"
        }
        return expected == actual ? nil : diff(expected: expected, actual: actual, name: path)
    }

    /// A compact line diff: `-` expected, `+` actual, with line numbers.
    public static func diff(expected: String, actual: String, name: String) -> String {
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        var out = "--- \(name)\n"
        var shown = 0
        for i in 0..<max(e.count, a.count) where shown < 40 {
            let le = i < e.count ? e[i] : nil, la = i < a.count ? a[i] : nil
            if le != la {
                if let le { out += "-\(i + 1): \(le)\n" }
                if let la { out += "+\(i + 1): \(la)\n" }
                shown += 1
            }
        }
        return out
    }
}

/// The outcome of running a program to completion.
public struct ProcessResult: Sendable {
    public var stdout: String
    public var stderr: String
    public var status: Int32
}

public enum Run {
    /// Runs `executable` with `arguments` in `directory`, feeding `input` on standard input.
    public static func program(_ executable: String, _ arguments: [String], in directory: String = TestPaths.packageRoot,
                               input: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["JIANBAO_CORPUS"] = nil
        env["JIANBAO_NO_CACHE"] = nil
        env["XDG_CACHE_HOME"] = TestPaths.cacheHome
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self),
                             status: process.terminationStatus)
    }

    /// Runs the built `jianbao`.
    public static func jianbao(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try program(TestPaths.executable, arguments, input: input, environment: environment)
    }

    /// Runs a shell pipeline (for `| head -1` and friends) with bash's pipefail.
    public static func shell(_ script: String) throws -> ProcessResult {
        try program("/bin/bash", ["-o", "pipefail", "-c", script])
    }
}
