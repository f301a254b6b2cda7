import Foundation
import Testing
import JianbaoTestSupport

/// Output read back by other programs: Python's csv module, jq, python's json.tool, sort.
@Suite struct PipelineTests {
    let jianbao = "'\(TestPaths.executable)'"

    /// CSV read back by Python's csv module equals the same rows as JSON, field for field:
    /// quotes, commas, tabs, newlines inside bodies, emoji and combining marks.
    @Test(arguments: ["select articles id, title, sources, body", "select paragraphs", "select sentences"])
    func csvReadsBackFieldForField(_ statement: String) throws {
        let script = """
            import csv, json, subprocess, sys
            cmd = [sys.argv[1], '-c', sys.argv[2], 'Tests/Fixtures/tricky', 'Examples/corpus']
            rows = list(csv.reader(subprocess.run(cmd + ['-m', 'csv'], capture_output=True, check=True).stdout.decode('utf-8').splitlines(keepends=True)))
            objs = [json.loads(l) for l in subprocess.run(cmd + ['-m', 'jsonl'], capture_output=True, check=True).stdout.decode('utf-8').splitlines()]
            header, body = rows[0], rows[1:]
            assert header == list(objs[0].keys()), (header, list(objs[0].keys()))
            def text(v):
                if v is None: return ''
                if isinstance(v, list): return ' / '.join(v)
                return str(v)
            assert len(body) == len(objs), (len(body), len(objs))
            for r, o in zip(body, objs):
                assert r == [text(v) for v in o.values()], (r, o)
            print(len(body))
            """
        let result = try Run.program("/usr/bin/env", ["python3", "-c", script, TestPaths.executable, statement])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10)
    }

    @Test func jsonIsValidForJqAndPython() throws {
        let jq = try Run.shell("\(jianbao) -m json -c 'select articles id, title, sources, body' Tests/Fixtures/tricky Examples/corpus | jq -r 'length, .[0].title, .[1].sources[1]'")
        #expect(jq.stdout == "29\n标题含\"引号\",逗号\n丙单位\n", "\(jq.stderr)")
        let empty = try Run.shell("\(jianbao) -m json -c 'select articles id where id > 1000' | python3 -m json.tool")
        #expect(empty.stdout == "[]\n")
        let lines = try Run.shell("\(jianbao) -m jsonl -c 'select issues' Examples/corpus | jq -c '[.id, .number]' | head -2")
        #expect(lines.stdout == "[\"2019-12\",12]\n[\"2020年第6期\",6]\n")
    }

    @Test func csvExportThroughSortAndWc() throws {
        let sorted = try Run.shell("\(jianbao) -m csv --no-header -c 'select sources name, articles' Examples/corpus | sort -t, -k2,2nr -k1,1 | head -3")
        #expect(sorted.stdout == "上海市国资委,10\r\n机场集团,4\r\n上海国际集团,2\r\n")
        let count = try Run.shell("\(jianbao) --no-header -c 'select paragraphs text' Examples/corpus | wc -l")
        #expect(count.stdout.trimmingCharacters(in: .whitespaces) == "56\n")
    }
}
