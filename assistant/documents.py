"""Documents officials add themselves: regulations, local plans and notices they hold.

The plan cites many documents whose text is not in the corpus (state council regulations,
standards, the prefecture's work schemes). Officials have those files as .txt/.docx/.pdf,
often GBK-encoded, and want them answerable and citable like the plan and the laws. This
module turns such a file into text, the text into clauses (one per article for a
regulation, one per paragraph otherwise), and keeps the text plus a manifest under
``corpus/added``. Every write is atomic and the manifest is written last, so a failed add
or remove leaves the folder exactly as it was.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path

from assistant.clauses import PLAN_SOURCE, Clause, CorpusError, content_hash, short_law_name, squash
from assistant.config import Settings
from assistant.laws import ABBREVIATIONS, article_label, law_names, parse_article_number
from assistant.plan import first_sentence_title

SUPPORTED = (".txt", ".md", ".docx", ".pdf")
MANIFEST = "manifest.json"
STAGING_PREFIX = ".staging-"  # temp files in added_dir (ignored by git)
ADDED, ALREADY_PRESENT = "added", "already present"
TITLE_MAX_CHARS = 60

_NUM = r"(?:[零〇一二两三四五六七八九十百千]+|\d+)"
_ARTICLE = re.compile(rf"^第\s*({_NUM})\s*条(之[一二三四五六七八九十]+)?[\s:：]*")
_DIVISION = re.compile(rf"^(第\s*{_NUM}\s*([编章节]))[\s:：]*(.*)$")
_HEADINGS = [  # rank, marker; a lower rank is an outer heading
    (0, re.compile(r"^[一二三四五六七八九十]+[、.．]")),
    (1, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (2, re.compile(r"^\d{1,3}[、.．](?!\d)")),
    (3, re.compile(r"^[（(]\d{1,3}[）)]")),
]
_CODE = re.compile(r"(?<![A-Za-z])((?:GB|HJ|DB\d{2}|CJJ|CJ|NY|SL|HG|GBZ)(?:/[TZ])?)\s*(\d{1,6}(?:\.\d+)?)\s*[-—–－]\s*(\d{4})")
_SENTENCE_END = "。！？；;!?"
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*\d+\s*页|\d{1,4})(?:\s*/\s*\d+)?[-—–\s]*$")


class DocumentError(ValueError):
    """A file cannot be added (or a document removed); the message says why and what to do."""


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
        """True for this document's title, an alias or a code, however people write them."""
        wanted = _title_key(title_or_code)
        if not wanted:
            return False
        if wanted in {_title_key(name) for name in (self.title, *self.aliases)}:
            return True
        code = _code_key(title_or_code)
        return bool(code) and code in {_code_key(c) for c in self.codes}

    def to_json(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_json(data: dict) -> "AddedDocument":
        known = {f.name for f in fields(AddedDocument)}
        return AddedDocument(**{k: v for k, v in data.items() if k in known})


@dataclass
class AddResult:
    document: AddedDocument
    status: str  # "added" | "already present"
    clauses: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        doc = self.document
        if self.status == ALREADY_PRESENT:
            return f"《{doc.title}》已存在，未作改动 / already present, nothing changed ({doc.file_name})"
        return f"已添加《{doc.title}》：{self.clauses} 条 / added {self.clauses} clauses ({doc.kind}, {doc.file_name})"


def _title_key(text: str) -> str:
    key = squash(text).strip("《》<>\"'“”")
    return key.removeprefix("中华人民共和国")


def _code_key(text: str) -> str:
    m = _CODE.fullmatch(unicodedata.normalize("NFKC", text).strip().upper())
    return f"{m.group(1)}{m.group(2)}-{m.group(3)}" if m else ""


def find_codes(text: str) -> list[str]:
    """Standard codes such as GB 36600-2018, written the way facts.CitedDoc writes them."""
    found = (f"{m.group(1)}{m.group(2)}-{m.group(3)}" for m in _CODE.finditer(unicodedata.normalize("NFKC", text)))
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------------ file -> text


def extract_text(data: bytes, file_name: str) -> tuple[str, list[str]]:
    """The file's text (lines separated by \\n) and warnings; DocumentError when unusable."""
    suffix = _check_type(file_name)
    if not data.strip():
        raise DocumentError(f"文件为空：{file_name} / The file is empty: {file_name}.")
    warnings: list[str] = []
    if suffix == ".docx":
        text = _docx_text(data, file_name)
    elif suffix == ".pdf":
        text, warnings = _pdf_text(data, file_name)
    else:
        text = _decode(data, file_name)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise DocumentError(f"文件中没有文字：{file_name} / No text found in {file_name}.")
    return text, warnings


def _check_type(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED:
        hint = "；请另存为 .docx / save it as .docx" if suffix in (".doc", ".wps") else ""
        raise DocumentError(f"不支持的文件类型 {suffix or '(无扩展名)'}（支持：{'、'.join(SUPPORTED)}）{hint} / "
                            f"Unsupported file type {suffix or '(none)'} for {file_name}; supported: {', '.join(SUPPORTED)}.")
    return suffix


def _decode(data: bytes, file_name: str) -> str:
    """UTF-8 (BOM or not), UTF-16/32 with BOM, else what charset-normalizer finds.

    Short GBK texts are often reported as Big5 or BOM-less UTF-16; officials' files are
    mainland GB text, so GB18030 (a superset of GBK and GB2312) is tried before any other
    detected encoding. A decoding full of control characters is rejected as not text.
    """
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                          (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), file_name)
            except UnicodeDecodeError:
                break
    try:
        return _check_text(data.decode("utf-8"), file_name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only needed for non-UTF-8 files

    best = from_bytes(data).best()
    detected = [best.encoding] if best else []
    gb_first = detected if detected and re.match(r"gb|hz", detected[0]) else []
    for encoding in dict.fromkeys([*gb_first, "gb18030", *detected]):
        try:
            return _check_text(data.decode(encoding), file_name)
        except (UnicodeDecodeError, DocumentError):
            continue
    raise DocumentError(f"无法识别文件编码或不是文本文件：{file_name}，请另存为 UTF-8 / Cannot read {file_name} as "
                        "text (unknown encoding or not a text file); save it as UTF-8 and try again.")


def _check_text(text: str, file_name: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise DocumentError(f"不是文本文件：{file_name} / {file_name} is not a text file.")
    return text


def _corrupt(file_name: str, what: str, exc: Exception) -> DocumentError:
    return DocumentError(f"文件损坏或不是有效的 {what}：{file_name}（{exc.__class__.__name__}）/ "
                         f"{file_name} is damaged or not a valid {what} file; open and re-save it, then try again.")


def _docx_text(data: bytes, file_name: str) -> str:
    """Body paragraphs and table rows in document order; a row's cells are joined by tabs."""
    import docx  # noqa: PLC0415
    from docx.table import Table  # noqa: PLC0415

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:  # a merged cell repeats; keep it once
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip())
                    lines.append("\t".join(c for c in cells if c))
            else:
                lines.append(block.text)
    except Exception as exc:  # python-docx raises zip, XML and key errors on damaged files
        raise _corrupt(file_name, "Word (.docx)", exc) from exc
    return "\n".join(lines)


def _pdf_text(data: bytes, file_name: str) -> tuple[str, list[str]]:
    """The text layer, page by page, with layout line wraps rejoined into paragraphs."""
    from pypdf import PdfReader  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"PDF 已加密：{file_name} / {file_name} is encrypted; remove the password first.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many error types on damaged files
        raise _corrupt(file_name, "PDF", exc) from exc
    blank = [i + 1 for i, page in enumerate(pages) if not page.strip()]
    if len(blank) == len(pages):
        raise DocumentError(f"PDF 没有文字层（可能是扫描件），请先做 OCR 文字识别：{file_name} / {file_name} has no "
                            "text layer (a scan?); run OCR on it first, then add the OCR'd file.")
    warnings = [f"第 {', '.join(map(str, blank))} 页没有文字（扫描页？）/ pages {blank} have no text layer"] if blank else []
    lines = [line.strip() for page in pages for line in page.splitlines()]
    return "\n".join(_reflow([line for line in lines if line and not _PAGE_NUMBER.match(line)])), warnings


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _reflow(lines: list[str]) -> list[str]:
    """Join lines a PDF wrapped mid-sentence.

    A wrapped line runs to (nearly) the full width and does not end a sentence; a short
    line, one ending in 。；：) or a heading, or an article, ends its paragraph.
    """
    widths = sorted(_width(line) for line in lines)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    out: list[str] = []
    wrapped = False  # whether the last line of out[-1] was a wrapped one
    for line in lines:
        starts_block = _ARTICLE.match(line) or _DIVISION.match(line) or any(p.match(line) for _, p in _HEADINGS)
        if out and wrapped and not starts_block:
            out[-1] += (" " if out[-1][-1].isascii() and line[0].isascii() else "") + line
        else:
            out.append(line)
        wrapped = (_width(line) >= 0.8 * full and line[-1] not in _SENTENCE_END + ":：)）.”\""
                   and not _is_heading(line))
    return out


# ---------------------------------------------------------------------- text -> clauses


def looks_like_title(line: str) -> bool:
    """A document title line: short, no sentence punctuation, not a heading or article."""
    line = line.strip()
    return (0 < len(line) <= TITLE_MAX_CHARS and not any(ch in line for ch in _SENTENCE_END + ",，:：")
            and not _ARTICLE.match(line) and not _DIVISION.match(line) and not any(p.match(line) for _, p in _HEADINGS))


def _heading_rank(line: str) -> int | None:
    for rank, pattern in _HEADINGS:
        m = pattern.match(line)
        if m:
            return rank
    return None


def _is_heading(line: str) -> bool:
    """A numbered line that is a heading rather than a numbered paragraph: short, one title."""
    rank = _heading_rank(line)
    if rank is None:
        return False
    body = _HEADINGS[rank][1].sub("", line, count=1).strip().rstrip("。:：")
    return (0 < len(body) <= 40 and not any(ch in body for ch in _SENTENCE_END)
            and not re.search(r"[（(][^()（）]*(牵头|负责|参与)[^()（）]*[)）]$", body))


def _short(title: str) -> str:
    return re.sub(r"\s+", "", short_law_name(title.strip()))


def parse_document(title: str, text: str) -> tuple[str, list[tuple[Clause, str]]]:
    """(kind, [(clause, role)]): a regulation by article, a plan by heading, else by paragraph.

    A first line that looks like a title is the document's name, not a clause.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and looks_like_title(lines[0]):
        lines = lines[1:]
    if sum(1 for line in lines if _ARTICLE.match(line)) >= 2:
        return "regulation", [(c, "text") for c in _articles(title, lines)]
    if sum(1 for line in lines if _is_heading(line)) >= 2:
        return "plan", _plan_paragraphs(title, lines)
    short = _short(title)
    return "paragraphs", [(Clause(f"{short}-p{i:03d}", title, "doc", line, title=first_sentence_title(line),
                                  position=i - 1), "text") for i, line in enumerate(lines, 1)]


def _articles(title: str, lines: list[str]) -> list[Clause]:
    """One clause per 第X条; 编/章/节 lines set the section; text before the first article is the 题注."""
    short = _short(title)
    divisions: dict[str, str] = {}
    preamble: list[str] = []
    current: dict | None = None
    found: list[dict] = []
    for line in lines:
        division, article = _DIVISION.match(line), _ARTICLE.match(line)
        number = parse_article_number(article.group(1)) if article else None
        if division:
            level = division.group(2)
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
    return clauses


def _plan_paragraphs(title: str, lines: list[str]) -> list[tuple[Clause, str]]:
    """Paragraphs under their heading path; heading lines only name the section."""
    short = _short(title)
    path: dict[int, str] = {}
    out: list[tuple[Clause, str]] = []
    for line in lines:
        rank = _heading_rank(line)
        if rank is not None:
            for deeper in [r for r in path if r >= rank]:
                del path[deeper]
            if _is_heading(line):
                path[rank] = line
                continue
        index = len(out) + 1
        section = " > ".join(path[r] for r in sorted(path))
        role = "task" if section and "\t" not in line else "text"  # table rows are not tasks
        out.append((Clause(f"{short}-p{index:03d}", title, "doc", line, section, first_sentence_title(line),
                           position=index - 1), role))
    return out


# ------------------------------------------------------------------------------ storage


def _manifest_path(settings: Settings) -> Path:
    return settings.added_dir / MANIFEST


def read_manifest(settings: Settings) -> list[AddedDocument]:
    path = _manifest_path(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [AddedDocument.from_json(item) for item in data["documents"]]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(f"Added-documents manifest {path} is not valid ({exc}); restore it from a backup, or "
                          f"delete {settings.added_dir} and add the documents again.") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, then rename over ``path``; no partial files."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=STAGING_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _manifest_bytes(documents: list[AddedDocument]) -> bytes:
    data = {"format": 1, "documents": [d.to_json() for d in documents]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _law_names(settings: Settings) -> set[str]:
    """Full and short names of the laws in the law file (empty when it cannot be read)."""
    try:
        names = law_names(Path(settings.law_db))
    except CorpusError:
        return set()
    return {_title_key(n) for n in names} | {_title_key(a) for a in ABBREVIATIONS}


def _default_title(text: str, path: Path) -> str:
    first = text.split("\n", 1)[0].strip().strip("《》")
    return first if looks_like_title(first) else path.stem


def add_file(path: Path | str, settings: Settings, title: str | None = None) -> AddResult:
    return add_files([path], settings, title)[0]


def add_files(paths, settings: Settings, title: str | None = None) -> list[AddResult]:
    """Add every file or none: all are read and checked before anything is written."""
    paths = [Path(p) for p in paths]
    if title is not None and len(paths) != 1:
        raise DocumentError("--title 只能用于单个文件 / --title applies to a single file.")
    documents = read_manifest(settings)
    results: list[AddResult] = []
    texts: dict[str, str] = {}
    laws = None
    for path in paths:
        text, warnings = _read(path, settings)
        digest = content_hash(text)
        same = next((d for d in documents if d.content_hash == digest), None)
        if same is not None:
            results.append(AddResult(same, ALREADY_PRESENT, 0, warnings))
            continue
        first = text.split("\n", 1)[0].strip().strip("《》")
        name = (title.strip().strip("《》").strip() if title is not None else _default_title(text, path))
        if not name:
            raise DocumentError("标题不能为空 / The title must not be empty.")
        key = _title_key(name)
        if key == PLAN_SOURCE:
            raise DocumentError(f"标题“{name}”与规划同名，请用 --title 另取标题 / The title {name!r} is the plan's; "
                                "give another with --title.")
        laws = _law_names(settings) if laws is None else laws
        if key in laws:
            raise DocumentError(f"标题“{name}”与法律数据库中的法律同名，请用 --title 另取标题 / {name!r} is the name of a law "
                                "already in the law database; give this document another title with --title.")
        clash = next((d for d in documents if d.matches(name)), None)
        if clash is not None:
            raise DocumentError(f"已有同名但内容不同的文件《{clash.title}》（{clash.file_name}），请用 --title 另取标题，"
                                f"或先删除旧文件 / A different document titled {clash.title!r} is already added; give "
                                "this one another title with --title, or remove the old one first.")
        kind, pairs = parse_document(name, text)
        if not pairs:
            raise DocumentError(f"文件中除标题外没有正文：{path.name} / {path.name} has no text besides its title.")
        aliases = [a for a in dict.fromkeys([first, re.sub(r"[（(]?\s*" + _CODE.pattern + r"\s*[)）]?", "", name).strip()])
                   if a and looks_like_title(a) and _title_key(a) != key and not any(d.matches(a) for d in documents)]
        head = "\n".join([name, *text.split("\n")[:5]])
        document = AddedDocument(name, path.name, digest, date.today().isoformat(), kind, f"{digest}.txt",
                                 aliases, find_codes(head))
        documents.append(document)
        texts[document.stored_as] = text
        results.append(AddResult(document, ADDED, len(pairs), warnings))
    if texts:
        _commit(settings, documents, texts)
    return results


def _read(path: Path, settings: Settings) -> tuple[str, list[str]]:
    if not path.is_file():
        raise DocumentError(f"找不到文件：{path} / File not found: {path}.")
    _check_type(path.name)
    size = path.stat().st_size
    if size > settings.max_upload_bytes:
        raise DocumentError(f"文件过大：{path.name} 为 {size / 1048576:.1f} MB，上限 {settings.max_upload_bytes / 1048576:.1f} MB"
                            f" / {path.name} is {size} bytes, over the {settings.max_upload_bytes}-byte limit.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"无法读取文件：{path}（{exc}）/ Cannot read {path} ({exc}).") from exc
    return extract_text(data, path.name)


def _commit(settings: Settings, documents: list[AddedDocument], texts: dict[str, str]) -> None:
    """Write new texts, then the manifest; on any failure undo what this call wrote."""
    folder = settings.added_dir
    made_folder = not folder.exists()
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            target = folder / name
            if not target.exists():
                _atomic_write(target, text.encode("utf-8"))
                written.append(target)
        _atomic_write(_manifest_path(settings), _manifest_bytes(documents))
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        if made_folder and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise


def remove_document(title: str, settings: Settings) -> AddedDocument:
    """Drop a document (by title, alias or code) from the manifest, then delete its text."""
    documents = read_manifest(settings)
    found = next((d for d in documents if d.matches(title)), None)
    if found is None:
        listed = "、".join(f"《{d.title}》" for d in documents) or "（无 / none）"
        raise DocumentError(f"没有名为“{title}”的已添加文件；现有：{listed} / No added document titled {title!r}; "
                            f"added documents: {', '.join(d.title for d in documents) or 'none'}.")
    remaining = [d for d in documents if d is not found]
    _atomic_write(_manifest_path(settings), _manifest_bytes(remaining))
    if all(d.stored_as != found.stored_as for d in remaining):
        (settings.added_dir / found.stored_as).unlink(missing_ok=True)
    return found


def load_added(settings: Settings) -> tuple[list[AddedDocument], list[Clause], list[tuple[Clause, str]]]:
    """Added documents, all their clauses, and (clause, role) pairs of the plan-style ones."""
    documents = read_manifest(settings)
    clauses: list[Clause] = []
    roles: list[tuple[Clause, str]] = []
    for doc in documents:
        path = settings.added_dir / doc.stored_as
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"Text of added document 《{doc.title}》 ({path}) cannot be read ({exc}); remove the "
                              "document and add its file again.") from exc
        if content_hash(text) != doc.content_hash:
            raise CorpusError(f"Text of added document 《{doc.title}》 ({path}) was changed after it was added; "
                              "remove the document and add the corrected file again.")
        kind, pairs = parse_document(doc.title, text)
        clauses.extend(c for c, _ in pairs)
        if kind == "plan":
            roles.extend(pairs)
    return documents, clauses, roles


__all__ = ["AddedDocument", "AddResult", "DocumentError", "add_file", "add_files", "remove_document", "load_added",
           "parse_document", "extract_text", "read_manifest", "find_codes", "looks_like_title"]
