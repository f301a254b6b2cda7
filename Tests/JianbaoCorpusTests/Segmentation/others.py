"""Segments the gold sentences with jieba and thulac, for SegmentationTests (docs/WORDS.md
"Quality"): reads the gold file named on the command line, prints one JSON object
{"jieba": [[token, ...], ...], "thulac": [...]} with one list per sentence, in order.
Run by Scripts/score-segmentation's Python (a virtual environment with both installed)."""
import contextlib
import json
import sys

import jieba
import thulac

sentences = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        sentences.append("".join(line.split("\t", 1)[1].split(" ")))

jieba.setLogLevel(60)
with contextlib.redirect_stdout(sys.stderr):  # thulac says "Model loaded succeed" on stdout
    thu = thulac.thulac(seg_only=True)
result = {
    "jieba": [list(jieba.cut(s)) for s in sentences],
    "thulac": [[w for w, _ in thu.cut(s)] for s in sentences],
}
json.dump(result, sys.stdout, ensure_ascii=False)
