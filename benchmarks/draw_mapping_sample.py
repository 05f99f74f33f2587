"""Draw a stratified sample of old articles for hand-checking the correspondence table.

Like the first sample (code_mapping_sample.jsonl): per law the plan cites, a fixed number of old
articles drawn at random from each confidence band of the table's most confident pair, plus one
with no pair; articles already in an earlier sample file are left out. The draw sees the table
only to put each article in its band; what is printed for the reader is the old article alone.

    python benchmarks/draw_mapping_sample.py --seed 20261130 > /tmp/draw.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import mapping  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.laws import load_laws  # noqa: E402

from score_mapping import CITED  # noqa: E402

PER_BAND = ((0.9, 1.01, 3), (0.75, 0.9, 4), (mapping.CERTAIN_CONFIDENCE, 0.75, 4), (0.0, mapping.CERTAIN_CONFIDENCE, 5))
EARLIER = ("code_mapping_sample.jsonl", "code_mapping_pairs_sample.jsonl")


def earlier_articles() -> set[str]:
    seen = set()
    for name in EARLIER:
        path = ROOT / "benchmarks" / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    seen.add(item["old"] if "old" in item else
                             f"{item['law'].removeprefix('中华人民共和国')}#{item['article_no']}")
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--table", default=str(ROOT / "corpus" / mapping.MAPPING_FILE))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    top: dict[str, float] = {}
    for p in mapping.load_mapping(Path(args.table)):
        top[p.clause_id] = max(top.get(p.clause_id, 0.0), p.confidence)
    _, clauses = load_laws(Settings.from_env().law_db, CITED)
    seen = earlier_articles()
    for law in CITED:
        pool = [c for c in clauses if c.source == law and c.article_no is not None and c.clause_id not in seen]
        bands: dict[int, list] = defaultdict(list)
        for c in pool:
            if c.clause_id not in top:
                bands[-1].append(c)
            else:
                bands[next(k for k, (lo, hi, _) in enumerate(PER_BAND) if lo <= top[c.clause_id] < hi)].append(c)
        wanted = [(k, n) for k, (_, _, n) in enumerate(PER_BAND)] + [(-1, 1)]
        for k, n in wanted:
            for c in rng.sample(bands[k], min(n, len(bands[k]))):
                print(json.dumps({"law": law, "article": c.article, "article_no": c.article_no,
                                  "band": "none" if k < 0 else mapping.band(PER_BAND[k][0])},
                                 ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
