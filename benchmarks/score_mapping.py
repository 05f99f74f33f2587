"""Score the correspondence table (corpus/code_mapping.json) against two references.

1. Near-verbatim pairs, found independently of the table: an old article whose text (normalised,
   punctuation dropped) appears at ≥90% in exactly one Code article, measured by difflib's matching
   blocks (not the table's bigram overlap). The table must give that Code article for every one.
2. The hand-verified samples benchmarks/code_mapping_sample.jsonl (used for tuning) and
   code_mapping_sample2.jsonl (fresh, judged after the code was frozen): for each sampled old article
   the Code article(s) a reader found by reading both texts (empty = no counterpart). An item is right
   when the table's most confident pair for that article points into the verified set (or, when the
   set is empty, when the table states nothing as certain).
3. The uniform sample of table pairs benchmarks/code_mapping_pairs_sample.jsonl.

Also prints the precision of every hand-judged pair at or above each confidence threshold (how
CERTAIN_CONFIDENCE is calibrated).

    python benchmarks/score_mapping.py [--table corpus/code_mapping.json] [--laws all|cited]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import mapping  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.laws import load_laws  # noqa: E402

CITED = ["中华人民共和国土壤污染防治法", "中华人民共和国水污染防治法", "中华人民共和国大气污染防治法",
         "中华人民共和国固体废物污染环境防治法"]
VERBATIM = 0.9
# code_mapping_sample.jsonl was used to tune the alignment; code_mapping_sample2.jsonl was drawn and judged
# after the code was frozen (benchmarks/draw_mapping_sample.py --seed 20261130).
SAMPLES = ("code_mapping_sample.jsonl", "code_mapping_sample2.jsonl")


def near_verbatim_pairs(db: Path, names: list[str]) -> list[tuple[str, str, str]]:
    """(law, old clause id, Code clause id) where the old text survives ≥90% in exactly one Code article."""
    _, clauses = load_laws(db, [mapping.CODE_NAME, *names])
    code = [(c.clause_id, mapping._norm(c.text)) for c in clauses if c.source == mapping.CODE_NAME]
    code_grams = [{t[i:i + 2] for i in range(len(t) - 1)} for _, t in code]
    out = []
    for c in clauses:
        if c.source == mapping.CODE_NAME or c.article_no is None:
            continue
        old = mapping._norm(c.text)
        if len(old) < 12:  # 本法自…起施行 and the like say nothing article-specific
            continue
        grams = {old[i:i + 2] for i in range(len(old) - 1)}
        hits = []
        for (cid, text), cg in zip(code, code_grams):
            if len(grams & cg) < 0.7 * len(grams):  # cheap screen before difflib
                continue
            matched = sum(b.size for b in SequenceMatcher(None, old, text, autojunk=False).get_matching_blocks())
            if matched >= VERBATIM * len(old):
                hits.append(cid)
        if len(hits) == 1:
            out.append((c.source, c.clause_id, hits[0]))
    return out


def score_sample(path: Path, by_old: dict) -> tuple[int, int, list[tuple[float, bool]]]:
    """Right items of one hand-verified sample file, printing the wrong ones; and every table pair judged."""
    sample = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    right, scored = 0, []
    for item in sample:
        old = f"{item['law'].removeprefix('中华人民共和国')}#{item['article_no']}"
        gold = set(item["code"])
        mine = sorted(by_old.get(old, []), key=lambda p: -p.confidence)
        top = mine[0] if mine else None
        ok = (top is not None and top.code_clause_id in gold) if gold else not any(p.certain for p in mine)
        right += ok
        for p in mine:
            scored.append((p.confidence, p.code_clause_id in gold))
        if not ok:
            print(f"  WRONG {old}: verified {sorted(gold)}, table {[(p.code_clause_id, p.confidence) for p in mine]}")
    print(f"hand-verified sample {path.name}: {len(sample)} items, right {right} ({right / max(1, len(sample)):.3f})")
    per_law: dict[str, int] = defaultdict(int)
    for item in sample:
        per_law[item["law"]] += 1
    print("  per law: " + ", ".join(f"{k.removeprefix('中华人民共和国')} {v}" for k, v in per_law.items()))
    certain = [ok for c, ok in scored if c >= mapping.CERTAIN_CONFIDENCE]
    print(f"  its pairs stated as certain: {sum(certain)}/{len(certain)} right")
    return right, len(sample), scored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", default=str(ROOT / "corpus" / mapping.MAPPING_FILE))
    parser.add_argument("--sample", action="append", help="a hand-verified sample file (default: both)")
    parser.add_argument("--laws", choices=("cited", "all"), default="cited")
    args = parser.parse_args()
    settings = Settings.from_env()
    pairs = mapping.load_mapping(Path(args.table))
    by_old: dict[str, list[mapping.Correspondence]] = defaultdict(list)
    for p in pairs:
        by_old[p.clause_id].append(p)
    names = CITED if args.laws == "cited" else mapping.repealed_by_code(settings.law_db)

    verbatim = near_verbatim_pairs(settings.law_db, names)
    missed = [(law, old, code) for law, old, code in verbatim
              if code not in {p.code_clause_id for p in by_old.get(old, [])}]
    print(f"near-verbatim pairs ({args.laws} laws): {len(verbatim)}, right {len(verbatim) - len(missed)}")
    for law, old, code in missed:
        print(f"  MISSED {old} -> {code}; table: {[p.code_clause_id for p in by_old.get(old, [])]}")

    scored: list[tuple[float, bool]] = []  # (confidence, right) of every hand-judged pair, for the calibration
    rates = []
    for path in args.sample or [ROOT / "benchmarks" / name for name in SAMPLES]:
        right, n, pairs_judged = score_sample(Path(path), by_old)
        scored += pairs_judged
        rates.append(right / max(1, n))
    pairs_file = ROOT / "benchmarks" / "code_mapping_pairs_sample.jsonl"
    if pairs_file.is_file():  # 30 pairs drawn uniformly from the table and judged by reading both texts
        judged = [json.loads(line) for line in pairs_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        table = {(p.clause_id, p.code_clause_id): p for p in pairs}
        present = [(j, table[(j["old"], j["code"])]) for j in judged if (j["old"], j["code"]) in table]
        certain = [j for j, p in present if p.certain]
        scored += [(p.confidence, j["right"]) for j, p in present]
        print(f"uniform sample of table pairs: {sum(j['right'] for j, _ in present)}/{len(present)} right "
              f"({len(judged) - len(present)} no longer in the table); stated as certain: "
              f"{sum(j['right'] for j in certain)}/{len(certain)} right")
    print(f"calibration over every hand-judged pair ({len(scored)}): precision at or above a threshold")
    for t in (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9):
        above = [ok for c, ok in scored if c >= t]
        print(f"  ≥{t:.2f}: {len(above):3d} pairs, precision {sum(above) / max(1, len(above)):.3f}")
    wrong = sorted((c for c, ok in scored if not ok), reverse=True)
    print(f"  highest wrong pair: {wrong[0] if wrong else None}; CERTAIN_CONFIDENCE = {mapping.CERTAIN_CONFIDENCE}")
    return 0 if not missed and all(r >= 0.95 for r in rates) else 1


if __name__ == "__main__":
    raise SystemExit(main())
