"""First-look comparison (run by hand): the assistant beside plain hybrid retrieval, per question type.

The baseline is what any retrieval pipeline would cite: jieba BM25 and the dense ranking fused by
RRF with k=60 and equal weights, over every source, answering with its top 5 passages verbatim
(never abstaining). Same scorer for both (assistant/evaluate.py).

A conversation file (lines with ``conversation`` / ``turn``) is asked turn by turn through
``Conversation``; the baseline then searches with the conversation's questions so far joined
(retrieval's only way to see context), and figures are given for the follow-up turns.

    python benchmarks/bench_baseline.py GOLD.jsonl [GOLD.jsonl ...] [--json OUT.json] [--failures]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import AnswerEngine  # noqa: E402
from assistant.conversation_eval import evaluate_conversations, is_conversation_file, load_conversations  # noqa: E402
from assistant.evaluate import Report, load_gold, plain_hybrid, score  # noqa: E402


def conversation_reports(path: Path, engine) -> tuple[Report, Report]:
    """Follow-up turns only: the assistant in conversation, and plain retrieval on the questions so far."""
    groups = load_conversations(path)
    ours = evaluate_conversations(groups, engine).followup
    base = Report()
    for items in groups.values():
        for i, item in enumerate(items):
            if item.turn > 1:
                context = " ".join(g.gold.question for g in items[: i + 1])
                base.outcomes.append(score(item.gold, plain_hybrid(engine, context)))
    return ours, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", nargs="+")
    parser.add_argument("--json")
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args()
    engine = AnswerEngine.open()
    out = {"policy": engine.policy.to_dict()}
    for path in args.gold:
        ours, base = Report(), Report()
        if is_conversation_file(Path(path)):
            ours, base = conversation_reports(Path(path), engine)
            path = f"{path} (follow-up turns)"
        for item in ([] if ours.outcomes else load_gold(Path(path))):
            started = time.perf_counter()
            answer = engine.ask(item.question).to_json()
            ours.outcomes.append(score(item, answer, time.perf_counter() - started))
            base.outcomes.append(score(item, plain_hybrid(engine, item.question)))
        gold = [o.gold for o in ours.outcomes]
        groups = defaultdict(lambda: ([], []))
        for o, b in zip(ours.outcomes, base.outcomes):
            for key in {f"type:{o.gold.type}", f"style:{o.gold.style}" if o.gold.style else ""} - {""}:
                groups[key][0].append(o)
                groups[key][1].append(b)
        print(f"\n== {path} ({len(gold)} questions)")
        print("assistant:   " + ", ".join(f"{k} {v}" for k, v in ours.figures().items()))
        print("plain top-5: " + ", ".join(f"{k} {v}" for k, v in base.figures().items()
                                          if k in ("questions", "citation_hit", "answer_facts")))
        print("latency:     " + ", ".join(f"{k} {v}" for k, v in ours.latency().items()))
        print(f"  {'group':24s} {'n':>3s} {'correct':>8s} {'cite':>6s} {'base cite':>9s}")
        for kind, (o_items, b_items) in sorted(groups.items()):
            f, g = ours.figures(o_items), base.figures(b_items)
            print(f"  {kind:24s} {len(o_items):3d} {f['fully_correct']!s:>8s} {f['citation_hit']!s:>6s} {g['citation_hit']!s:>9s}")
        if args.failures:
            print(ours.render().split("failures:")[1])
        out[path] = {"assistant": ours.to_json(), "baseline": base.figures()}
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
