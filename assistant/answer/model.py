"""The records that flow out of the answer layer: a cited quote, a handler's proposal, the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.clauses import Clause

NOT_FOUND = "在规划和所收录的法律中没有找到这个问题的答案。"


@dataclass
class Citation:
    n: int
    clause: Clause
    quote: str  # verbatim substring of clause.text
    role: str = "依据"  # 依据 | 责任分工 | 法典对应条款 | 原条文 (the repealed article a Code article carries) | 相关原文
    notice: str = ""  # e.g. the law was repealed by the Code

    def to_json(self) -> dict:
        c = self.clause
        return {"n": self.n, "clause_id": c.clause_id, "source": c.source, "article": c.article,
                "section": c.section, "title": c.title, "text": c.text, "quote": self.quote,
                "role": self.role, "notice": self.notice, "label": c.label()}


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Clause] = field(default_factory=list)  # 可能相关, offered when abstaining; not citations
    intents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reading: str = ""  # how the question was read (理解为：…), when that differs from what was typed
    # for a refusal, how sure it is that the corpus lacks the answer: a follow-up's other readings are tried
    # only when it is not sure
    absence: float = 0.0
    # each part of a several-part question: (its text, refused, how sure the refusal is, its answer text); a
    # follow-up joined to the question before it needs to know whether its own part was answered
    parts: list[tuple[str, bool, float, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.text, "abstained": self.abstained,
                "citations": [c.to_json() for c in self.citations],
                "related": [{"clause_id": c.clause_id, "source": c.source, "article": c.article,
                             "section": c.section, "title": c.title, "text": c.text, "label": c.label()}
                            for c in self.related],
                "intents": self.intents, "notes": self.notes, "reading": self.reading}

    def render_text(self) -> str:
        lines = [self.text, ""]
        for c in self.citations:
            lines.append(f"[{c.n}] {c.clause.clause_id} · {c.clause.label()}" + (f"（{c.role}）" if c.role != "依据" else ""))
            lines.append(f"    “{c.quote}”")
            if c.notice:
                lines.append(f"    注意：{c.notice}")
        if self.related:
            lines.append("可能相关（不是引文）：")
            lines += [f"  - {c.clause_id} · {c.label()}：{c.text[:60]}…" for c in self.related]
        return "\n".join(lines).rstrip()


@dataclass
class Draft:
    """One handler's proposal: text with local [n] marks, the quotes they point at, and how sure it is.

    ``fit`` says how well the handler's kind of answer fits the question (from understanding);
    ``support`` how much of the question its evidence covers (set by the engine's scorer). The
    engine picks the draft with the best ``fit * support`` across all handlers.
    """

    kind: str
    abstained: bool = False
    text: str = ""
    cited: list[tuple[Clause, str, str, str]] = field(default_factory=list)
    related: list[Clause] = field(default_factory=list)
    list_answer: bool = False
    fit: float = 0.0
    support: float | None = None  # None: the engine measures it; a handler may set it (a table look-up)
    absence: float = 0.0  # for an abstention: how sure the corpus lacks the answer (evidence of absence)

    @property
    def score(self) -> float:
        return self.fit * (self.support or 0.0)

    def cite(self, clause: Clause, quote: str, role: str = "依据", notice: str = "") -> int:
        """Add a citation; the quote must occur verbatim in the clause, always."""
        quote = quote.strip()
        if not quote or quote not in clause.text:  # fall back to the title, or the clause's opening words
            quote = clause.title if clause.title and clause.title in clause.text else clause.text[:60]
        if quote not in clause.text:  # not an assert: it must hold under python -O too
            raise ValueError(f"quote not found verbatim in {clause.clause_id}")
        for i, (c, q, _, _) in enumerate(self.cited, start=1):
            if c.clause_id == clause.clause_id and q == quote:
                return i
        self.cited.append((clause, quote, role, notice))
        return len(self.cited)
