"""The facts officials ask about most, extracted once into plain data.

Questions read these records; nothing re-parses text at question time.

* ``Responsibility``: who leads / joins each task, from the note that closes a task
  paragraph, e.g. ``(州生态环境局牵头,州农业农村局、发改委等参与)``. A task spanning
  several paragraphs carries its note only on the last; the earlier ones inherit it.
* ``Target``: the indicator table (flattened into lines by the scrape) and targets stated
  in the text (到2025年,…达到90%以上), values kept exactly as written.
* ``Deadline``: dated commitments (2025年底前…, 到2023年…, 2023年起…).
* ``CitedDoc``: every document the plan cites, and whether its text is in the corpus.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from assistant.clauses import Clause, CorpusError

OPEN, CLOSE = "(（", ")）"
PLAN_PERIOD_START = 2021  # years before this are the 13th FYP's results, not commitments

# ---------------------------------------------------------------------------- bureaux


@dataclass(frozen=True)
class Bureau:
    canonical: str
    aliases: tuple[str, ...]
    level: str = "州"


class BureauDirectory:
    """Canonical bureau names and their aliases (``corpus/bureaux.json``, editorial)."""

    def __init__(self, bureaux: Sequence[Bureau]):
        self.bureaux = list(bureaux)
        self._by_name: dict[str, str] = {}
        for b in self.bureaux:
            for name in (b.canonical, *b.aliases):
                self._by_name[_key(name)] = b.canonical

    @staticmethod
    def load(path: Path) -> "BureauDirectory":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return BureauDirectory([Bureau(b["canonical"], tuple(b.get("aliases", [])), b.get("level", "州"))
                                    for b in data["bureaux"]])
        except FileNotFoundError as exc:
            raise CorpusError(f"Bureau list {path} is missing: restore corpus/bureaux.json from the repository.") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"Bureau list {path} is not valid ({exc}); restore it from the repository.") from exc

    def canonical(self, name: str, default_prefix: str = "州") -> str:
        """州住房城乡建设局 -> 州住建局; 发改委 (written after a 州 bureau) -> 州发改委."""
        name = name.strip()
        found = self._by_name.get(_key(name))
        if found:
            return found
        if default_prefix and not name.startswith(("州", "自治区", "各", "园区")):
            return self._by_name.get(_key(default_prefix + name), default_prefix + name)
        return name

    def spans_in(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) of every bureau named in ``text``, longest alias first, no overlaps."""
        lowered = text.lower()
        spans: list[tuple[int, int, str]] = []
        for alias_key, canonical in sorted(self._by_name.items(), key=lambda kv: -len(kv[0])):
            start = lowered.find(alias_key)
            while start != -1:
                end = start + len(alias_key)
                if not any(s < end and start < e for s, e, _ in spans):
                    spans.append((start, end, canonical))
                start = lowered.find(alias_key, end)
        return sorted(spans)

    def find_in(self, text: str) -> list[str]:
        """Canonical bureaux named anywhere in ``text``, in order of appearance."""
        return list(dict.fromkeys(canonical for _, _, canonical in self.spans_in(text)))


def _key(name: str) -> str:
    return name.replace("（", "(").replace("）", ")").lower()


# ----------------------------------------------------------------------- responsibilities


@dataclass
class Responsibility:
    clause_id: str
    title: str
    leads: list[str]
    participants: list[str]
    relation: str  # 牵头 | 联合牵头 | 负责 | 共同负责 | 未写明牵头 | 无注释
    note: str  # verbatim, with its parentheses; "" when the task has none
    inherited_from: str | None = None  # clause id holding the note, for earlier paragraphs of a task
    flags: list[str] = field(default_factory=list)
    implementers: list[str] = field(default_factory=list)  # 各县(市)人民政府、园区管委会 (standing rule)
    note_clause_id: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class StandingRule:
    clause_id: str
    text: str  # verbatim
    implementers: tuple[str, ...]


def trailing_note(text: str) -> tuple[str, str] | None:
    """Split off the balanced parenthesised note that ends a paragraph.

    Notes nest parentheses (各县(市)), so the matching opener is found by counting.
    Returns (body, note with its parentheses) or None.
    """
    stripped = text.rstrip("。.; ；")
    if not stripped or stripped[-1] not in CLOSE:
        return None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in CLOSE:
            depth += 1
        elif ch in OPEN:
            depth -= 1
            if depth == 0:
                return text[:i], stripped[i:]
    return None


_ROLE_PATTERNS = [  # one part of a note, between commas; the standing rule is taken out first
    ("implement", re.compile(r"^(.+?)负责落实$")),
    ("by_duty", re.compile(r"^(.+?)等?按职责分工负责$")),
    ("lead", re.compile(r"^(.+?)牵头$")),
    ("join", re.compile(r"^(.+?)参与$")),
    ("responsible", re.compile(r"^(.+?)负责$")),
]


def _split_names(names: str, directory: BureauDirectory) -> list[str]:
    names = re.sub(r"等$", "", names.strip())
    parts = [p for p in re.split(r"[、]", names) if p.strip()]
    return [directory.canonical(p) for p in parts]


def looks_like_note(note: str, directory: BureauDirectory) -> bool:
    """A closing parenthesis is a responsibility note when it names a bureau."""
    return bool(directory.find_in(note[1:-1]))


def parse_note(note: str, directory: BureauDirectory) -> tuple[dict, list[str]]:
    """Read a responsibility note into roles; irregularities become flags, never fixes."""
    inner = note[1:-1]
    roles: dict[str, list[str]] = {"lead": [], "join": [], "responsible": [], "by_duty": [], "implement": [], "standing": []}
    flags: list[str] = []
    standing = re.search(r"以下均需要(.+?)负责落实", inner)
    if standing:
        roles["standing"] = _split_names(standing.group(1), directory)
        inner = inner[: standing.start()]
    for part in re.split(r"[,，;；。]", inner):
        part = part.strip()
        if not part:
            continue
        for role, pattern in _ROLE_PATTERNS:
            m = pattern.match(part)
            if m:
                roles[role].extend(_split_names(m.group(1), directory))
                break
        else:
            roles["unmarked"] = roles.get("unmarked", []) + _split_names(part, directory)
    if roles["by_duty"]:
        flags.append("其他部门写作“按职责分工负责”而非“参与”")
    if roles.get("unmarked"):
        flags.append("注释未写明“牵头”：首列部门按牵头记录，原文照录")
    if any(name.startswith("自治区") for names in roles.values() for name in names):
        flags.append("注释列出自治区级部门")
    if len(roles["responsible"]) > 1:
        flags.append("两个及以上部门共同负责")
    return roles, flags


def extract_responsibilities(task_clauses: Sequence[Clause], directory: BureauDirectory
                             ) -> tuple[list[Responsibility], list[StandingRule]]:
    """One record per task paragraph; paragraphs before a note in the same section inherit it."""
    records: list[Responsibility] = []
    rules: list[StandingRule] = []
    pending: list[Clause] = []  # paragraphs of the current task still waiting for its note

    def flush_without_note() -> None:
        for c in pending:
            flags = ["无责任注释"] + (["源文本截断，注释可能缺失"] if c.notes else [])
            records.append(Responsibility(c.clause_id, c.title, [], [], "无注释", "", None, flags,
                                          _implementers(rules)))
        pending.clear()

    for clause in task_clauses:
        if pending and pending[-1].section != clause.section:
            flush_without_note()
        split = trailing_note(clause.text)
        if not split or not looks_like_note(split[1], directory):
            pending.append(clause)
            continue
        note = split[1]
        roles, flags = parse_note(note, directory)
        if roles["standing"]:
            rules.append(StandingRule(clause.clause_id, note, tuple(roles["standing"])))
        leads = roles["lead"] or roles["responsible"] or roles.get("unmarked", [])[:1]
        participants = roles["join"] + roles["by_duty"] + roles.get("unmarked", [])[1:]
        if roles["lead"]:
            relation = "联合牵头" if len(roles["lead"]) > 1 else "牵头"
        elif roles["responsible"]:
            relation = "共同负责" if len(roles["responsible"]) > 1 else "负责"
        else:
            relation = "未写明牵头"
        group = [*pending, clause]
        head_title = group[0].title
        implementers = list(dict.fromkeys(roles["implement"] + _implementers(rules)))
        for member in group:
            inherited = None if member is clause else clause.clause_id
            records.append(Responsibility(
                clause_id=member.clause_id,
                title=head_title if member is not group[0] and not _has_title(member) else member.title,
                leads=list(leads), participants=list(participants), relation=relation, note=note,
                inherited_from=inherited, flags=list(flags) + (["责任注释在本任务的最后一段"] if inherited else []),
                implementers=implementers, note_clause_id=clause.clause_id,
            ))
        pending.clear()
    flush_without_note()
    return records, rules


def _has_title(clause: Clause) -> bool:
    head = re.split(r"[。；;]", clause.text, maxsplit=1)[0]
    return head == clause.title


def _implementers(rules: Sequence[StandingRule]) -> list[str]:
    return [name for rule in rules for name in rule.implementers]


# ----------------------------------------------------------------------------- targets


@dataclass
class Target:
    clause_id: str
    indicator: str
    baseline: str | None  # as written; "--" in the table means not given
    target: str  # as written, comparator included (≥85%, 90%以上, 30%左右, 达到264个, 减少)
    year: int | None
    kind: str | None  # 约束性 | 预期性 (table) ; None for targets stated in the text
    source_doc: str | None
    category: str | None = None
    origin: str = "table"  # table | text
    sentence: str = ""  # the verbatim span the target was read from
    flags: list[str] = field(default_factory=list)
    context: str = ""  # the whole sentence around it (what a question about the target is matched with)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Footnote:
    clause_id: str
    number: int
    term: str
    text: str  # verbatim without the glued number
    in_table: bool


_KIND = re.compile(r"^(约束性|预期性)$")


def parse_table_rows(rows: Sequence[Clause], table_year: int = 2025) -> list[Target]:
    """Rows are `[category] indicator baseline target kind [source…]`, space-separated."""
    targets: list[Target] = []
    category: str | None = None
    for clause in rows:
        tokens = clause.text.split()
        kind_at = next((i for i, t in enumerate(tokens) if _KIND.match(t)), None)
        if kind_at is None or kind_at < 3:
            targets.append(Target(clause.clause_id, clause.text, None, "", table_year, None, None, category,
                                  flags=["无法解析的表格行，原文照录"], sentence=clause.text))
            continue
        before, kind, source = tokens[:kind_at], tokens[kind_at], " ".join(tokens[kind_at + 1:]) or None
        flags = []
        if len(before) >= 4:
            category = before[0]
            indicator = "".join(before[1:-2])
        else:
            indicator = "".join(before[:-2])
            flags.append("类别沿用上一行")
        if source is None:
            flags.append("来源栏为空")
        baseline = before[-2]
        targets.append(Target(clause.clause_id, indicator, baseline, before[-1], table_year, kind, source,
                              category, "table", clause.text, flags, clause.text))
    return targets


def parse_footnotes(notes: Sequence[Clause], table_targets: Sequence[Target]) -> list[Footnote]:
    found = []
    for clause in notes:
        m = re.match(r"^(\d+)(.+)$", clause.text)
        if not m:
            continue
        body = m.group(2)
        term = re.split(r"是指|指", body, maxsplit=1)[0]
        in_table = any(term in t.indicator or t.indicator in term for t in table_targets)
        found.append(Footnote(clause.clause_id, int(m.group(1)), term, body, in_table))
    return found


_YEAR_LEAD = re.compile(r"到(20\d\d)年(?:底)?[,，]?")
_VALUE = re.compile(
    r"(?P<verb>达到|提高到|提升到|控制在|保持在|稳定达到|为)?"
    r"(?P<value>(?:[≥≤>＜<]\s*)?\d+(?:\.\d+)?\s*(?:%|万吨|个|吨)(?:以上|以下|左右|以内)?)"
)
_QUALITATIVE = re.compile(r"(均减少|减少|保持稳定|稳中向好|全覆盖|基本实现|明显改善|得到有效\S+|达到或优于\S+|完成\S*目标)")


def _clauses_of(sentence: str) -> list[str]:
    return [c for c in re.split(r"[,，;；]", sentence) if c]


def _dated_parts(text: str):
    """(part, year, what follows the year) for each part of a sentence that a 到YYYY年 governs: the year leads its
    part, and carries over the semicolons of the same sentence (到2025年,…得到进一步管控;农村生态环境明显改善。)."""
    for sentence in re.split(r"(?<=[。])", text):
        year = None
        for part in re.split(r"(?<=[；;])", sentence):
            m = _YEAR_LEAD.search(part)
            if m:
                year = int(m.group(1)) if int(m.group(1)) >= PLAN_PERIOD_START else None
                if year is not None:
                    yield part, year, part[m.end():]
            elif year is not None and part.strip():
                yield part, year, part


def extract_text_targets(clauses: Iterable[Clause]) -> list[Target]:
    """到YYYY年 sentences: one target per value (quantitative) or per clause (qualitative)."""
    targets: list[Target] = []
    for clause in clauses:
        for sentence, year, body in _dated_parts(clause.text):
            body = re.split(r"[(（][^()（）]*(牵头|负责|参与)", body)[0]
            for part in _clauses_of(body.rstrip("。；;")):
                value = _VALUE.search(part)
                if value:
                    indicator = part[: value.start()].strip()
                    indicator = re.sub(r"^(昌吉州|力争|全州|各县\(市\))+", "", indicator) or part
                    targets.append(Target(clause.clause_id, indicator, None, value.group("value"), year, None, None,
                                          origin="text", sentence=part, context=sentence))
                    continue
                q = _QUALITATIVE.search(part)  # a qualitative goal: split subject / state when the verb is known
                at = q.start() if q else 0
                indicator = re.sub(r"^(昌吉州|力争)+", "", part[:at]).rstrip("的均") or part
                targets.append(Target(clause.clause_id, indicator, None, part[at:], year, None, None,
                                      origin="text", sentence=part, flags=["定性目标"], context=part))
    return targets


# --------------------------------------------------------------------------- deadlines


@dataclass
class Deadline:
    clause_id: str
    when: str  # as written: 2025年底前, 到2023年, 2023年起, 限期
    what: str  # the commitment, verbatim
    year: int | None

    def to_json(self) -> dict:
        return asdict(self)


_WHEN = re.compile(r"(20\d\d)年底前|(20\d\d)年前|到(20\d\d)年(?:底)?|(20\d\d)年起")


def extract_deadlines(clauses: Iterable[Clause]) -> list[Deadline]:
    deadlines: list[Deadline] = []
    for clause in clauses:
        for sentence in re.split(r"(?<=[。；;])", clause.text):
            for m in _WHEN.finditer(sentence):
                year = int(next(g for g in m.groups() if g))
                if year < PLAN_PERIOD_START:
                    continue
                rest = sentence[m.end():].lstrip(",，")
                what = re.split(r"[。；;]|[(（][^()（）]*(?:牵头|负责|参与)", rest)[0]
                what = re.split(r"到20\d\d年|20\d\d年底前", what)[0].rstrip(",，")
                if what:
                    deadlines.append(Deadline(clause.clause_id, m.group(0), what, year))
            for m in re.finditer(r"限期[^,，。；;]*", sentence):
                deadlines.append(Deadline(clause.clause_id, "限期（未给出具体日期）", m.group(0), None))
    return deadlines


# ------------------------------------------------------------------------ cited documents


@dataclass
class CitedDoc:
    title: str  # as the plan writes it, without 《》, or a standard code
    kind: str  # law | standard | document
    cited_in: list[str]
    in_corpus: bool
    corpus_source: str | None = None  # the law's full name or added document's title
    code: str | None = None  # GB15618-2018
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


_TITLE = re.compile(r"《([^《》]{2,80})》")
_STANDARD = re.compile(r"\b(GB|HJ|GB/T)\s?(\d{3,6})[-—－](\d{4})")


def collect_cited_documents(plan_clauses: Sequence[Clause]) -> list[CitedDoc]:
    """Every 《title》 and standard code the plan cites, with the clauses citing it."""
    docs: dict[str, CitedDoc] = {}
    for clause in plan_clauses:
        text = clause.text
        for m in _TITLE.finditer(text):
            title = m.group(1).strip()
            doc = docs.setdefault(title, CitedDoc(title, _kind_of(title), [], False))
            if clause.clause_id not in doc.cited_in:
                doc.cited_in.append(clause.clause_id)
            code = _STANDARD.search(text[m.end(): m.end() + 20])
            if code:
                doc.code = f"{code.group(1)}{code.group(2)}-{code.group(3)}"
                doc.kind = "standard"
        for m in _STANDARD.finditer(text):
            code = f"{m.group(1)}{m.group(2)}-{m.group(3)}"
            if any(d.code == code for d in docs.values()):
                continue  # already recorded under the title it follows
            doc = docs.setdefault(code, CitedDoc(code, "standard", [], False, code=code))
            if clause.clause_id not in doc.cited_in:
                doc.cited_in.append(clause.clause_id)
    return list(docs.values())


def _kind_of(title: str) -> str:
    if re.search(r"(法|法典)$", title):
        return "law"
    if "标准" in title:
        return "standard"
    if re.search(r"条例(\(试行\))?$", title):
        return "regulation"
    return "document"


# ------------------------------------------------------------------------------ together


@dataclass
class Facts:
    responsibilities: list[Responsibility]
    standing_rules: list[StandingRule]
    targets: list[Target]
    footnotes: list[Footnote]
    deadlines: list[Deadline]
    cited_docs: list[CitedDoc]
    directory: BureauDirectory

    def to_json(self) -> dict:
        return {
            "responsibilities": [
                {k: r.to_json()[k] for k in ("clause_id", "title", "leads", "participants", "relation", "note",
                                             "inherited_from", "flags")}
                for r in self.responsibilities
            ],
            "targets": [
                {k: t.to_json()[k] for k in ("clause_id", "indicator", "baseline", "target", "year", "kind",
                                             "source_doc")}
                for t in self.targets
            ],
            "deadlines": [{k: d.to_json()[k] for k in ("clause_id", "when", "what")} for d in self.deadlines],
            "standing_rules": [asdict(r) for r in self.standing_rules],
            "footnotes": [asdict(f) for f in self.footnotes],
            "cited_documents": [d.to_json() for d in self.cited_docs],
        }

    def tasks_of(self, bureau: str, roles: Iterable[str] = ("lead", "participant")) -> list[Responsibility]:
        """Every task a bureau leads and/or joins, in plan order (one record per paragraph)."""
        bureau = self.directory.canonical(bureau)
        return [r for r in self.responsibilities
                if ("lead" in roles and bureau in r.leads) or ("participant" in roles and bureau in r.participants)]


def extract_facts(roles: Sequence[tuple[Clause, str]], directory: BureauDirectory) -> Facts:
    """Run every extractor over plan-style clauses tagged with their role (task, table_row, …)."""
    by_role: dict[str, list[Clause]] = {}
    for clause, role in roles:
        by_role.setdefault(role, []).append(clause)
    responsibilities, rules = extract_responsibilities(by_role.get("task", []), directory)
    table = parse_table_rows(by_role.get("table_row", []))
    committed = by_role.get("task", []) + by_role.get("intro", []) + [
        c for c in by_role.get("text", []) if c.section.startswith("二、")]
    committed.sort(key=lambda c: c.position)
    return Facts(
        responsibilities=responsibilities,
        standing_rules=rules,
        targets=table + extract_text_targets(committed),
        footnotes=parse_footnotes(by_role.get("footnote", []), table),
        deadlines=extract_deadlines(committed),
        cited_docs=collect_cited_documents([c for c, _ in roles]),
        directory=directory,
    )
