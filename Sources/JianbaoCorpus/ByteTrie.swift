/// A set of words as a byte trie, for finding the longest word that starts at a position.
/// Transitions live in one open-addressing table keyed by (node, byte): a step is a multiply,
/// a shift and usually one probe.
public struct ByteTrie: Sendable {
    static let root: Int32 = 0
    private var keys: [UInt64]
    private var targets: [Int32]
    private var terminal: [Bool]
    private let mask: Int
    /// Bytes of the longest word.
    public let maxLength: Int
    /// How many words it holds.
    public let count: Int

    public init<S: Sequence>(_ words: S) where S.Element == String {
        var transitions: [UInt64: Int32] = [:]
        var terminal = [false]
        var longest = 0
        var count = 0
        for word in Set(words) where !word.isEmpty {
            var node: Int32 = 0
            for byte in word.utf8 {
                let key = UInt64(node) << 8 | UInt64(byte)
                if let next = transitions[key] {
                    node = next
                } else {
                    let next = Int32(terminal.count)
                    terminal.append(false)
                    transitions[key] = next
                    node = next
                }
            }
            if !terminal[Int(node)] { count += 1 }
            terminal[Int(node)] = true
            longest = max(longest, word.utf8.count)
        }
        var size = 16
        while size < transitions.count * 2 { size *= 2 }
        var keys = [UInt64](repeating: .max, count: size)
        var targets = [Int32](repeating: -1, count: size)
        for (key, target) in transitions {
            var slot = Self.slot(key, size - 1)
            while keys[slot] != .max { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            targets[slot] = target
        }
        self.keys = keys
        self.targets = targets
        self.terminal = terminal
        self.mask = size - 1
        self.maxLength = longest
        self.count = count
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The node after `byte` from `node`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ byte: UInt8) -> Int32 {
        let key = UInt64(node) << 8 | UInt64(byte)
        var slot = Self.slot(key, mask)
        while true {
            let k = keys[slot]
            if k == key { return targets[slot] }
            if k == .max { return -1 }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    func isTerminal(_ node: Int32) -> Bool { terminal[Int(node)] }

    /// Whether `word` is one of the words.
    public func contains(_ word: String) -> Bool {
        var node = Self.root
        for byte in word.utf8 {
            node = child(node, byte)
            if node < 0 { return false }
        }
        return !word.isEmpty && isTerminal(node)
    }
}
