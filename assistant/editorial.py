"""Editorial repairs of the scraped text, applied for display only and always marked.

The scrape dropped 近平 after 习 (习生态文明思想). ``corpus/editorial_repairs.json`` lists
each repair with the words before and after it, so a repair lands only where its context
matches. ``Clause.text`` stays the source text: quotes are checked against it, and tests
compare against it. The page shows an inserted text in another colour with a tooltip; the
command line wraps it in 〔〕 and says what the brackets mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.clauses import CorpusError

CLI_OPEN, CLI_CLOSE = "〔", "〕"
CLI_LEGEND = "〔〕内为编者补正（抓取时脱漏的文字），不是原文；引文以原文为准。"


@dataclass(frozen=True)
class Repair:
    clause_id: str
    before: str
    insert: str
    after: str
    note: str

    @property
    def source_form(self) -> str:
        return self.before + self.after


@dataclass(frozen=True)
class Segment:
    text: str
    editorial: bool = False
    note: str = ""


class Repairs:
    def __init__(self, repairs: list[Repair]):
        self.repairs = repairs

    @staticmethod
    def load(path: Path) -> "Repairs":
        if not path.exists():
            return Repairs([])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Repairs([Repair(r["clause_id"], r["before"], r["insert"], r["after"], r.get("note", "编者补正"))
                            for r in data["repairs"]])
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"Editorial repairs {path} are not valid ({exc}); restore the file from the repository.") from exc

    def insertions(self, text: str) -> list[tuple[int, Repair]]:
        """Where in ``text`` (offsets into the source text) each repair inserts its words, in order."""
        cuts: dict[int, Repair] = {}  # one insertion per place, even where two repairs' contexts overlap
        for repair in self.repairs:
            start = text.find(repair.source_form)
            while start != -1:
                cuts.setdefault(start + len(repair.before), repair)
                start = text.find(repair.source_form, start + 1)
        return sorted(cuts.items(), key=lambda c: c[0])

    def segments(self, text: str) -> list[Segment]:
        """``text`` cut into source pieces and inserted (editorial) pieces, in order."""
        cuts = self.insertions(text)
        if not cuts:
            return [Segment(text)] if text else []
        out: list[Segment] = []
        last = 0
        for at, repair in cuts:
            if at > last:
                out.append(Segment(text[last:at]))
            out.append(Segment(repair.insert, True, repair.note))
            last = at
        if last < len(text):
            out.append(Segment(text[last:]))
        return out

    def for_cli(self, text: str) -> str:
        """The text with each repair in 〔〕."""
        return "".join(f"{CLI_OPEN}{s.text}{CLI_CLOSE}" if s.editorial else s.text for s in self.segments(text))

    def repaired(self, text: str) -> bool:
        return any(s.editorial for s in self.segments(text))

    def unmatched(self, corpus) -> list[Repair]:
        """Repairs whose context is not found in their clause (the plan text changed): a data error."""
        return [r for r in self.repairs
                if r.clause_id not in corpus.by_id or r.source_form not in corpus.by_id[r.clause_id].text]


@lru_cache(maxsize=4)
def load_repairs(path: Path) -> Repairs:
    return Repairs.load(path)


def repairs_for(settings) -> Repairs:
    return load_repairs(Path(settings.corpus_dir) / "editorial_repairs.json")
