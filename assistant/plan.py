"""The plan text as citable paragraph clauses, placed in an editorial outline.

The scraped plan lost its headings and carries a spam mirror's header. The outline in
``corpus/plan_outline.json`` (editorial, not the plan's words) says where each section
starts; everything before the first section is the mirror's header and never becomes a
clause. Paragraph ids are ``plan-NNN``, NNN being the paragraph's index among the file's
non-empty lines, so they stay stable and match the index used in the golden questions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.clauses import PLAN_SOURCE, Clause, CorpusError

TITLE_MAX_CHARS = 32  # a task's title sentence is short; longer first sentences are body text


@dataclass(frozen=True)
class Outline:
    sections: list[tuple[tuple[str, ...], str]]  # (path, starts_with)
    intros: frozenset[str]  # starts_with of section introductions (not tasks)
    table_rows: frozenset[str]
    footnotes: frozenset[str]
    spam_markers: tuple[str, ...]

    @staticmethod
    def load(path: Path) -> "Outline":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Outline(
                sections=[(tuple(s["path"]), s["starts_with"]) for s in data["sections"]],
                intros=frozenset(s["starts_with"] for s in data.get("intros", [])),
                table_rows=frozenset(s["starts_with"] for s in data.get("table_rows", [])),
                footnotes=frozenset(s["starts_with"] for s in data.get("footnotes", [])),
                spam_markers=tuple(data.get("spam_markers", [])),
            )
        except FileNotFoundError as exc:
            raise CorpusError(f"Plan outline {path} is missing: restore corpus/plan_outline.json from the repository.") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"Plan outline {path} is not valid ({exc}); restore it from the repository.") from exc


def read_plan_lines(path: Path) -> list[str]:
    """Non-empty lines of the plan file, stripped (index = paragraph number)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise CorpusError(f"Plan text {path} is missing: restore corpus/plan.txt from the repository "
                          "or set ASSISTANT_PLAN to the plan's text file.") from exc
    except OSError as exc:
        raise CorpusError(f"Plan text {path} cannot be read ({exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"Plan text {path} is not UTF-8 text; save it as UTF-8 and try again.") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise CorpusError(f"Plan text {path} is empty.")
    return lines


def first_sentence_title(text: str) -> str:
    """The task's title: its first sentence when short; else its first clause.

    Task paragraphs open with a short title sentence (严格控制涉重金属行业污染物排放。);
    a few have none, and their first clause serves as a label.
    """
    head = re.split(r"[。；;]", text, maxsplit=1)[0]
    if len(head) <= TITLE_MAX_CHARS:
        return head
    return re.split(r"[,，：:]", head, maxsplit=1)[0][:TITLE_MAX_CHARS]


def parse_plan(plan_path: Path, outline_path: Path) -> list[Clause]:
    lines = read_plan_lines(plan_path)
    outline = Outline.load(outline_path)
    starts = []
    for path, prefix in outline.sections:
        hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        if len(hits) != 1:
            raise CorpusError(f"Plan outline {outline_path}: section {' > '.join(path)} should start at exactly one "
                              f"paragraph beginning with {prefix!r}, found {len(hits)}; the plan text {plan_path} "
                              "and the outline disagree.")
        starts.append((hits[0], path))
    starts.sort()
    if not starts:
        raise CorpusError(f"Plan outline {outline_path} has no sections.")

    clauses: list[Clause] = []
    section_at = 0
    for index in range(starts[0][0], len(lines)):
        line = lines[index]
        if any(marker in line for marker in outline.spam_markers):
            continue
        while section_at + 1 < len(starts) and starts[section_at + 1][0] <= index:
            section_at += 1
        notes = []
        if index == len(lines) - 1 and not line.endswith(("。", ")", "）", ";", "；")):
            notes.append("源文本在此处被截断（抓取页面缺失结尾）")
        clauses.append(Clause(
            clause_id=f"plan-{index:03d}",
            source=PLAN_SOURCE,
            kind="plan",
            text=line,
            section=" > ".join(starts[section_at][1]),
            title=first_sentence_title(line),
            position=index,
            notes=tuple(notes),
        ))
    return clauses


def paragraph_role(clause: Clause, outline: Outline) -> str:
    """"intro", "table_row", "footnote", "task" or "text" (background and goals)."""
    for role, prefixes in (("intro", outline.intros), ("table_row", outline.table_rows), ("footnote", outline.footnotes)):
        if any(clause.text.startswith(p) for p in prefixes):
            return role
    if clause.section.startswith(("三、", "四、")):
        return "task"
    return "text"
