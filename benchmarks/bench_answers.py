"""Answer benchmark (run by hand): eval figures and warm answer latency on golden questions.

    python benchmarks/bench_answers.py [GOLD.jsonl ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import AnswerEngine  # noqa: E402
from assistant.evaluate import evaluate, load_gold  # noqa: E402


def main() -> None:
    paths = sys.argv[1:] or [str(ROOT / "tests/regression/gold_dev.jsonl")]
    t = time.perf_counter()
    engine = AnswerEngine.open()
    print(f"engine open (index already built): {time.perf_counter() - t:.2f}s")
    for path in paths:
        gold = load_gold(Path(path))
        evaluate(gold[:5], engine)  # warm
        report = evaluate(gold, engine)
        print(f"\n{path}")
        print(report.render().split("failures:")[0])


if __name__ == "__main__":
    main()
