"""Text -> clauses, by the document's shape: a regulation by article, a plan by heading, else by paragraph.

Each shape is one parser in ``SHAPES``, tried in order; the first whose ``fits`` says yes
parses the lines. A plan's numbered line is a heading only when something sits beneath it;
a numbered item with nothing under it (1.完成排查。 2.建立台账。) is itself a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from assistant.clauses import Clause, short_law_name, squash
from assistant.documents.patterns import ARTICLE, DIVISION, HEADINGS, LEAD_NOTE, SENTENCE_END, TRADITIONAL_LEVEL
from assistant.laws import article_label, parse_article_number
from assistant.plan import first_sentence_title

TITLE_MAX_CHARS = 60
Pairs = list[tuple[Clause, str]]  # (clause, role); role "task" feeds facts, "text" does not


def looks_like_title(line: str) -> bool:
    """A document title line: short, no sentence punctuation, not a heading or article."""
    line = line.strip()
    return (0 < len(line) <= TITLE_MAX_CHARS and not any(ch in line for ch in SENTENCE_END + ",，:：")
            and not ARTICLE.match(line) and not DIVISION.match(line) and not any(p.match(line) for _, p in HEADINGS))


def heading_rank(line: str) -> int | None:
    for rank, pattern in HEADINGS:
        if pattern.match(line):
            return rank
    return None


def is_heading(line: str) -> bool:
    """A numbered line that reads like a heading rather than a numbered paragraph: short, one title."""
    rank = heading_rank(line)
    if rank is None:
        return False
    body = HEADINGS[rank][1].sub("", line, count=1).strip().rstrip("。:：")
    return 0 < len(body) <= 40 and not any(ch in body for ch in SENTENCE_END) and not LEAD_NOTE.search(body)


def short_name(title: str) -> str:
    return re.sub(r"\s+", "", short_law_name(title.strip()))


def _articles(title: str, lines: list[str]) -> Pairs:
    """One clause per 第X条; 编/章/节 lines set the section; text before the first article is the 题注."""
    short = short_name(title)
    divisions: dict[str, str] = {}
    preamble: list[str] = []
    current: dict | None = None
    found: list[dict] = []
    for line in lines:
        division, article = DIVISION.match(line), ARTICLE.match(line)
        number = parse_article_number(article.group(1)) if article else None
        if division:
            level = TRADITIONAL_LEVEL.get(division.group(2), division.group(2))
            for lower in "编章节"["编章节".index(level):]:
                divisions.pop(lower, None)
            label, name = re.sub(r"\s+", "", division.group(1)), re.sub(r"\s+", " ", division.group(3))
            divisions[level] = f"{label} {name}".strip()
            current = None
        elif number is not None:
            suffix = article.group(2) or ""
            current = {"n": number, "suffix": suffix, "section": " ".join(divisions[k] for k in "编章节" if k in divisions),
                       "lines": [line[article.end():]]}
            found.append(current)
        elif current is not None:
            current["lines"].append(line)
        elif not found and squash(line) != "目录":
            preamble.append(line)  # lines between a chapter heading and its first article are dropped
    clauses: list[Clause] = []
    if preamble:
        clauses.append(Clause(f"{short}#题注", title, "doc", "\n".join(preamble), title="题注"))
    used: set[str] = {c.clause_id for c in clauses}
    for item in found:
        label = article_label(item["n"]) + item["suffix"]
        key, k = f"{short}#{item['n']}{item['suffix']}", 1
        clause_id = key
        while clause_id in used:
            k += 1
            clause_id = f"{key}-{k}"
        used.add(clause_id)
        clauses.append(Clause(clause_id, title, "doc", "\n".join(item["lines"]).strip(), item["section"], label,
                              label, item["n"], len(clauses)))
    return [(c, "text") for c in clauses]


def _leaf_items(lines: list[str]) -> set[int]:
    """Indexes of heading-like lines with nothing beneath them: items, not headings."""
    leaves = set()
    for i, line in enumerate(lines):
        if not is_heading(line):
            continue
        rank = heading_rank(line)
        following = lines[i + 1] if i + 1 < len(lines) else None
        next_rank = heading_rank(following) if following is not None else None
        if following is None or (next_rank is not None and next_rank <= rank):
            leaves.add(i)
    return leaves


def _plan_paragraphs(title: str, lines: list[str]) -> Pairs:
    """Paragraphs under their heading path; heading lines only name the section."""
    short = short_name(title)
    path: dict[int, str] = {}
    out: Pairs = []
    leaves = _leaf_items(lines)
    for i, line in enumerate(lines):
        rank = heading_rank(line)
        if rank is not None:
            for deeper in [r for r in path if r >= rank]:
                del path[deeper]
            if is_heading(line) and i not in leaves:
                path[rank] = line
                continue
        index = len(out) + 1
        section = " > ".join(path[r] for r in sorted(path))
        role = "task" if section and "\t" not in line else "text"  # table rows are not tasks
        out.append((Clause(f"{short}-p{index:03d}", title, "doc", line, section, first_sentence_title(line),
                           position=index - 1), role))
    return out


def _paragraphs(title: str, lines: list[str]) -> Pairs:
    short = short_name(title)
    return [(Clause(f"{short}-p{i:03d}", title, "doc", line, title=first_sentence_title(line), position=i - 1), "text")
            for i, line in enumerate(lines, 1)]


@dataclass(frozen=True)
class Shape:
    kind: str
    fits: Callable[[list[str]], bool]
    parse: Callable[[str, list[str]], Pairs]


SHAPES = [
    Shape("regulation", lambda lines: sum(1 for line in lines if ARTICLE.match(line)) >= 2, _articles),
    Shape("plan", lambda lines: sum(1 for line in lines if is_heading(line)) >= 2, _plan_paragraphs),
    Shape("paragraphs", lambda lines: True, _paragraphs),
]


def parse_document(title: str, text: str) -> tuple[str, Pairs]:
    """(kind, [(clause, role)]) from the first shape that fits; a first line that looks like a title is
    the document's name, not a clause."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and looks_like_title(lines[0]):
        lines = lines[1:]
    shape = next(s for s in SHAPES if s.fits(lines))
    return shape.kind, shape.parse(title, lines)
