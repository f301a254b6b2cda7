#if canImport(Glibc)
import Glibc
#endif

/// The section and organisation names of a corpus, built on first use and kept: the resolver's
/// "no section is named …" notes and the shell's completion read them on every statement.
public final class NameIndex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var sectionNames: Set<String>?
    private var sourceNames: Set<String>?
    private let issues: [Issue]

    init(_ issues: [Issue]) {
        self.issues = issues
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Every section name.
    public var sections: Set<String> {
        locked {
            if let sectionNames { return sectionNames }
            var names: Set<String> = []
            for issue in issues {
                for section in issue.sections { names.insert(issue.string(section.name)) }
            }
            sectionNames = names
            return names
        }
    }

    /// Every organisation named in a source.
    public var sources: Set<String> {
        locked {
            if let sourceNames { return sourceNames }
            // On all cores, a chunk of issues each: figure extraction waits for these names.
            let issues = self.issues
            let parts = Parallel.chunked(issues.count, perCore: 4) { range, _ -> Set<String>? in
                var names: Set<String> = []
                for i in range {
                    for article in issues[i].articles { names.formUnion(issues[i].sources(of: article)) }
                }
                return names
            } ?? []
            let names = parts.reduce(into: Set<String>()) { $0.formUnion($1) }
            sourceNames = names
            return names
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
