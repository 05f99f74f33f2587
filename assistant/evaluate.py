"""Scoring answers against golden questions (format: tests/regression/README.md).

The same code runs ``python -m assistant eval FILE.jsonl`` and the regression tests, and it
scores as the hidden set is scored: only the first 5 citations count; a question is fully
correct when every ``cite`` is matched, every ``answer_contains`` string is in the answer
(NFKC, whitespace removed) and the answer did not abstain; an ``unanswerable`` question is
correct only when the assistant abstains.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.clauses import squash

CITATIONS_COUNTED = 5


@dataclass
class Gold:
    id: str
    type: str
    question: str
    cite: list
    answer_contains: list[str]
    lang: str = "zh"
    note: str = ""
    style: str = ""  # how it is phrased (traditional, typo, english, two_part…), for per-style figures

    @staticmethod
    def parse(line: str) -> "Gold":
        data = json.loads(line)
        return Gold(data["id"], data["type"], data["question"], data.get("cite", []),
                    data.get("answer_contains", []), data.get("lang", "zh"), data.get("note", ""),
                    data.get("style", ""))


def load_gold(path: Path) -> list[Gold]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(Gold.parse(line))
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: not a golden question ({exc})") from exc
    return items


def _norm(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text))


def cite_matches(cite, citation: dict) -> bool:
    if isinstance(cite, str):
        return _norm(cite) in _norm(citation["text"])
    return citation["source"] == cite["law"] and citation.get("article") == cite["article"]


@dataclass
class Outcome:
    gold: Gold
    answer: dict
    cites_hit: list[bool]
    contains_hit: list[bool]
    correct: bool
    seconds: float

    @property
    def citation_hit(self) -> bool:
        return all(self.cites_hit) if self.cites_hit else True


def score(gold: Gold, answer: dict, seconds: float = 0.0) -> Outcome:
    counted = answer["citations"][:CITATIONS_COUNTED]
    cites_hit = [any(cite_matches(c, cit) for cit in counted) for c in gold.cite]
    text = _norm(answer["answer"])
    contains_hit = [_norm(s) in text for s in gold.answer_contains]
    if gold.type == "unanswerable":
        correct = bool(answer["abstained"])
    else:
        correct = not answer["abstained"] and all(cites_hit) and all(contains_hit)
    return Outcome(gold, answer, cites_hit, contains_hit, correct, seconds)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def figures(self, items: list[Outcome] | None = None) -> dict:
        items = self.outcomes if items is None else items
        answerable = [o for o in items if o.gold.type != "unanswerable"]
        unanswerable = [o for o in items if o.gold.type == "unanswerable"]
        cited = [o for o in answerable if o.gold.cite]
        with_facts = [o for o in answerable if o.gold.answer_contains]
        ratio = lambda hits, pool: round(hits / len(pool), 3) if pool else None  # noqa: E731
        return {
            "questions": len(items),
            "fully_correct": ratio(sum(o.correct for o in items), items),
            "citation_hit": ratio(sum(o.citation_hit for o in cited), cited),
            "answer_facts": ratio(sum(all(o.contains_hit) for o in with_facts), with_facts),
            "abstention_on_unanswerable": ratio(sum(bool(o.answer["abstained"]) for o in unanswerable), unanswerable),
            "false_abstention": ratio(sum(bool(o.answer["abstained"]) for o in answerable), answerable),
        }

    def latency(self) -> dict:
        times = sorted(o.seconds for o in self.outcomes)
        if not times:
            return {}
        pick = lambda q: round(times[min(len(times) - 1, int(q * len(times)))] * 1000, 1)  # noqa: E731
        return {"p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": round(times[-1] * 1000, 1)}

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    def to_json(self) -> dict:
        by_type = defaultdict(list)
        for o in self.outcomes:
            by_type[o.gold.type].append(o)
        return {"overall": self.figures(), "latency": self.latency(),
                "by_type": {t: self.figures(items) for t, items in sorted(by_type.items())},
                "failures": [{"id": o.gold.id, "type": o.gold.type, "question": o.gold.question,
                              "missing_cites": [c for c, hit in zip(o.gold.cite, o.cites_hit) if not hit],
                              "missing_text": [s for s, hit in zip(o.gold.answer_contains, o.contains_hit) if not hit],
                              "abstained": o.answer["abstained"], "answer": o.answer["answer"][:300],
                              "cited": [c["clause_id"] for c in o.answer["citations"][:CITATIONS_COUNTED]]}
                             for o in self.failures()]}

    def render(self) -> str:
        data = self.to_json()
        lines = ["overall: " + ", ".join(f"{k} {v}" for k, v in data["overall"].items()),
                 "latency: " + ", ".join(f"{k} {v}" for k, v in data["latency"].items()), "by type:"]
        for kind, figures in data["by_type"].items():
            lines.append(f"  {kind:15s} " + ", ".join(f"{k} {v}" for k, v in figures.items() if v is not None))
        lines.append(f"failures: {len(data['failures'])}")
        for f in data["failures"]:
            lines.append(f"- {f['id']} [{f['type']}] {f['question']}")
            lines.append(f"    abstained={f['abstained']} cited={f['cited']} missing cites={f['missing_cites']} "
                         f"missing text={f['missing_text']}")
            lines.append(f"    answer: {f['answer'][:160]!r}")
        return "\n".join(lines)


def plain_hybrid(engine, question: str, k: int = 5) -> dict:
    """What plain retrieval would cite, in the answer's JSON shape: jieba BM25 and dense fused by RRF
    (k=60, equal weights) over every source, top ``k`` passages verbatim, never abstaining.

    The assistant must never cite the right clause less often than this (benchmarks/, tests/test_answer.py).
    """
    from assistant.retrieve import rrf  # noqa: PLC0415 - evaluation only

    index = engine.index
    lexical = [cid for cid, _ in index.bm25_ranking(question)]
    dense = [cid for cid, _ in index.dense_ranking(question)]
    fused = sorted(rrf([lexical, dense], k=60).items(), key=lambda kv: -kv[1])[:k]
    clauses = [engine.corpus.by_id[cid] for cid, _ in fused]
    return {"answer": "\n".join(c.text for c in clauses), "abstained": False,
            "citations": [{"clause_id": c.clause_id, "source": c.source, "article": c.article, "text": c.text}
                          for c in clauses]}


def evaluate(gold: list[Gold], engine) -> Report:
    report = Report()
    for item in gold:
        started = time.perf_counter()
        answer = engine.ask(item.question)
        report.outcomes.append(score(item, answer.to_json(), time.perf_counter() - started))
    return report


def evaluate_file(path: Path, engine) -> Report:
    return evaluate(load_gold(path), engine)
