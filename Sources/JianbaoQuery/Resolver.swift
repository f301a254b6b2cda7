import JianbaoCorpus

/// A statement checked against the schema and the corpus: what the evaluator runs.
public enum Plan: Sendable {
    case select(target: Target, fields: [FieldSpec])
    case count(target: Target)
    case show(issue: Int, article: Int, id: Int)
}

/// Checks every target and field name and yields a plan; the evaluator never meets an
/// unknown name.
public struct Resolver {
    let corpus: Corpus

    public init(corpus: Corpus) { self.corpus = corpus }

    public func resolve(_ statement: Statement) throws(QueryError) -> Plan {
        switch statement {
        case .select(let targetName, let fieldNames):
            let spec = try target(targetName)
            guard let fieldNames else { return .select(target: spec.target, fields: spec.fields) }
            var fields: [FieldSpec] = []
            for name in fieldNames {
                guard let field = spec.field(named: name.text) else {
                    throw QueryError(.unknownField(target: spec.name, field: name.text,
                                                   suggestion: Suggest.nearest(name.text, in: spec.fields.map(\.name))),
                                     span: name.span)
                }
                if fields.contains(where: { $0.field == field.field }) {
                    throw QueryError(.duplicateField(name.text), span: name.span)
                }
                fields.append(field)
            }
            return .select(target: spec.target, fields: fields)
        case .count(let targetName):
            return .count(target: try target(targetName).target)
        case .show(let id, let span):
            guard let (issue, article) = corpus.locate(articleID: id) else {
                throw QueryError(.noSuchArticle(id), span: span)
            }
            return .show(issue: issue, article: article, id: id)
        }
    }

    private func target(_ name: Name) throws(QueryError) -> TargetSpec {
        if let spec = Schema.target(named: name.text) { return spec }
        // `select article` is a likely slip for `articles`: the singular counts as a typo.
        throw QueryError(.unknownTarget(name.text, suggestion: Suggest.nearest(name.text, in: Schema.targets.map(\.name))),
                         span: name.span)
    }
}
