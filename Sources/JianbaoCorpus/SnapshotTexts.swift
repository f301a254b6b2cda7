import Synchronization

/// The texts of a warm load that are read from their bulletin files (docs/SNAPSHOT.md "Texts
/// read from their files"). A cold run keeps only the index, so that writing the snapshot
/// costs the first run little; once statements have read every one of these texts, unchanged,
/// the snapshot is written again with them in it, under the same generation (it holds the
/// same corpus, so the figures and words kept beside it stay valid). Later runs map those
/// texts from the snapshot instead of reading 10,000 files into fresh memory — as the figures
/// and the word statistics, the texts are kept on first use.
public final class SnapshotTexts: Sendable {
    private let cache: SnapshotCache
    private let path: String
    private let generation: UInt64
    private let texts: [(entry: Int, text: FileText)]
    private let done = Atomic<Bool>(false)

    init(cache: SnapshotCache, path: String, generation: UInt64, texts: [(entry: Int, text: FileText)]) {
        self.cache = cache
        self.path = path
        self.generation = generation
        self.texts = texts
    }

    /// Whether the snapshot has been written again with the texts (or that was given up).
    public var isSettled: Bool { done.load(ordering: .acquiring) }

    /// Starts writing the snapshot again with the texts, on another thread, the first time
    /// every one of them has been read and found unchanged; nothing otherwise. Cheap when they
    /// have not all been read (it stops at the first that has not). Not when a file had
    /// changed: the snapshot is then out of date for it, and the next load writes a new one.
    /// The write (164 MB for the benchmark archive, a few tenths of a second) goes on while
    /// the next statements run and the shell's prompt is back: wait for it before the process
    /// ends, as for the load's own write.
    public func keepIfAllRead() -> PendingSnapshotWrite? {
        guard !done.load(ordering: .acquiring), texts.allSatisfy({ $0.text.isRead }) else { return nil }
        guard done.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        guard texts.allSatisfy({ $0.text.isAsKept }) else { return nil }
        let (cache, path, generation, texts) = (cache, path, generation, texts)
        return PendingSnapshotWrite(cache: cache) {
            guard case .success(let reader)? = SnapshotReader.open(path, version: cache.version),
                  reader.generation == generation else { return nil }
            // Another run that loaded the same snapshot may have kept them first (the
            // generation stays): its texts are there, and appending these would only grow it.
            let texts = texts.filter { !reader.holdsText($0.entry) }
            guard !texts.isEmpty else { return nil }
            // A failure is silent, as for the figures: the texts are read from the files again.
            _ = cache.replace(path) { fd in reader.write(keeping: texts, to: fd) }
            return nil
        }
    }
}
