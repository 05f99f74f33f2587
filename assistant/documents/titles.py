"""Added documents as records, and when a question really names one.

A title counts as named only by evidence a reader would accept: 《title》, the title (or
its distinctive part, without the issuing place and qualifiers such as （试行）) written out,
or its trailing words in the article form (运行维护管理办法第二条). A short title is never
found as a substring: a document titled 污水 is not named by a question about sewage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields

from assistant.clauses import squash
from assistant.documents.patterns import (ARTICLE_ANYWHERE, BRACKETED_TITLE, CODE, DOC_TYPE_WORDS, PLACE_PREFIX,
                                          TITLE_QUALIFIER)

MIN_PLAIN_CHARS = 5  # an unbracketed title shorter than this is only matched as 《title》
MIN_ARTICLE_FORM_CHARS = 4  # 管理办法 alone is too generic; 维护管理办法第二条 is not


class DocumentError(ValueError):
    """A file cannot be added (or a document removed); the message says why and what to do."""


def title_key(text: str) -> str:
    key = squash(text).strip("《》<>\"'“”")
    return key.removeprefix("中华人民共和国")


def code_key(text: str) -> str:
    m = CODE.fullmatch(unicodedata.normalize("NFKC", text).strip().upper())
    return f"{m.group(1)}{m.group(2)}-{m.group(3)}" if m else ""


def find_codes(text: str) -> list[str]:
    """Standard codes such as GB 36600-2018, written the way facts.CitedDoc writes them."""
    found = (f"{m.group(1)}{m.group(2)}-{m.group(3)}" for m in CODE.finditer(unicodedata.normalize("NFKC", text)))
    return list(dict.fromkeys(found))


def core_title(title: str) -> str:
    """The title without 《》, 中华人民共和国 or trailing qualifiers such as （试行）."""
    key = title_key(title)
    while True:
        shorter = TITLE_QUALIFIER.sub("", key)
        if shorter == key or not shorter:
            return key
        key = shorter


def distinctive_title(title: str) -> str:
    """The core title without the issuing place and 关于 (昌吉州…管理办法 -> …管理办法)."""
    core = core_title(title)
    rest = PLACE_PREFIX.sub("", core, count=1)
    return rest if len(rest) >= MIN_PLAIN_CHARS else core


def _doc_type_suffixes(core: str) -> list[str]:
    """Trailing parts of the title that end in its document-type word, longest first."""
    if not core.endswith(DOC_TYPE_WORDS):
        return []
    return [core[i:] for i in range(len(core) - MIN_ARTICLE_FORM_CHARS + 1)
            if core[i:] not in DOC_TYPE_WORDS and len(core[i:]) >= MIN_ARTICLE_FORM_CHARS]


def title_evidence(question: str, title: str, aliases: tuple[str, ...] | list[str] = ()) -> str | None:
    """The words in ``question`` that name the document ``title`` (or an alias), or None.

    Accepted, in order: 《title》; the full or distinctive title written out (at least
    MIN_PLAIN_CHARS characters); a trailing part of the title that ends in its document type,
    directly followed by 第…条.
    """
    text = squash(question)
    for name in (title, *aliases):
        core = core_title(name)
        if not core:
            continue
        for m in BRACKETED_TITLE.finditer(text):
            if core_title(m.group(1)) == core:
                return m.group(0)
        for plain in dict.fromkeys([title_key(name), core, distinctive_title(name)]):
            if len(plain) >= MIN_PLAIN_CHARS and plain in text:
                return plain
        for m in ARTICLE_ANYWHERE.finditer(text):
            before = text[: m.start()]
            for suffix in _doc_type_suffixes(core):
                if before.endswith(suffix):
                    return suffix + m.group(0)
    return None


@dataclass
class AddedDocument:
    title: str  # without 《》
    file_name: str  # as the official named it
    content_hash: str  # of the extracted text
    added_on: str  # ISO date
    kind: str  # regulation | plan | paragraphs
    stored_as: str  # file name under added_dir
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # GB36600-2018

    def matches(self, title_or_code: str) -> bool:
        """True when ``title_or_code`` IS this document's title, an alias or a code (not a substring)."""
        wanted = title_key(title_or_code)
        if not wanted:
            return False
        if wanted in {title_key(name) for name in (self.title, *self.aliases)}:
            return True
        code = code_key(title_or_code)
        return bool(code) and code in {code_key(c) for c in self.codes}

    def mentioned_in(self, question: str) -> str | None:
        """The words of ``question`` that really name this document (see ``title_evidence``), or None."""
        found = title_evidence(question, self.title, self.aliases)
        if found:
            return found
        asked = {code_key(c) for c in find_codes(question.upper())}
        return next((c for c in self.codes if code_key(c) in asked), None)

    def to_json(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_json(data: dict) -> "AddedDocument":
        known = {f.name for f in fields(AddedDocument)}
        return AddedDocument(**{k: v for k, v in data.items() if k in known})


def document_named_in(question: str, documents: list[AddedDocument]) -> AddedDocument | None:
    """The added document the question really names; the longest evidence wins (None when none does)."""
    found = [(len(ev), doc) for doc in documents if (ev := doc.mentioned_in(question))]
    return max(found, key=lambda pair: pair[0])[1] if found else None
