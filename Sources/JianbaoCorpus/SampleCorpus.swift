public enum SampleCorpus { public static let documents: [(path: String, bytes: [UInt8])] = [] }
