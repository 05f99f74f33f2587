"""The one record type every stage passes around: a citable clause.

A clause is a plan paragraph, a law article or a unit of an added document. Its id is
stable and readable (``plan-055``, ``土壤污染防治法#21``) because that is what a citation,
a regression test and an official point at. ``text`` is always verbatim as stored;
``match_text`` is the normalised form used for matching and quote checks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

PLAN_SOURCE = "规划"

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}\W])\s+(?=[{_CJK}\W])|(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


class CorpusError(RuntimeError):
    """A source file is missing or unreadable; the message names it and says what to do."""


def normalise(text: str) -> str:
    """NFKC, then drop whitespace and line breaks that sit next to Chinese characters.

    The law file has stray spaces and line breaks inside words (``自治区、 直辖市``); plan
    and questions mix full- and half-width punctuation. Display keeps the original.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE_IN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Normalised and without any whitespace: the form scoring and quote checks compare."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Clause:
    clause_id: str
    source: str  # 规划, a law's full name, or an added document's title
    kind: str  # "plan" | "law" | "doc"
    text: str  # verbatim
    section: str = ""  # plan: outline path; law: chapter / section
    title: str = ""  # plan: the task's title sentence; law: article number as written
    article: str | None = None  # 第五十九条
    article_no: int | None = None  # 59
    position: int = 0  # order within its source
    notes: tuple[str, ...] = field(default_factory=tuple)  # data defects or editorial remarks

    @property
    def match_text(self) -> str:
        return normalise(self.text)

    @property
    def digest(self) -> str:
        """Hash of everything that is indexed, so a changed clause is re-embedded."""
        return content_hash("\x1f".join([self.clause_id, self.source, self.section, self.title, self.text]))

    def contains(self, quote: str) -> bool:
        """True when ``quote`` occurs in this clause, ignoring width and whitespace differences."""
        return bool(quote) and squash(quote) in squash(self.text)

    def label(self) -> str:
        """How a citation names the clause to a person."""
        if self.kind == "law" and self.article:
            return f"《{self.source}》{self.article}"
        if self.kind == "plan":
            return f"规划 · {self.section}" if self.section else "规划"
        return f"《{self.source}》{self.article or ''}{' · ' + self.section if self.section and not self.article else ''}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["notes"] = list(self.notes)
        return data


def short_law_name(full_name: str) -> str:
    """中华人民共和国土壤污染防治法 -> 土壤污染防治法 (the form people write)."""
    return full_name.removeprefix("中华人民共和国")
