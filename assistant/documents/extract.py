"""File -> text: a registry of the file types officials add, each read within limits checked first.

Every reader refuses before doing the expensive work: a .docx's zip directory is checked
(entry count, declared and actual decompressed size, paragraph count) before python-docx
parses a byte of XML; a PDF's page count is read from its page tree before any page is
extracted. A refusal names the limit (they live in ``Settings``) and nothing is written.

Text files are decoded by scoring candidate encodings (UTF-8, GB18030, Big5, Shift-JIS) on
how common the characters they produce are for that encoding's script: a GB text read as
Big5, or a Big5 text read as GB18030, decodes without error but into rare characters and
kana, and scores low. A decoding that no candidate makes plausible is refused, never stored.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assistant.config import Settings
from assistant.documents.patterns import ARTICLE, DIVISION, HEADINGS, PAGE_NUMBER, SENTENCE_END
from assistant.documents.titles import DocumentError


@dataclass(frozen=True)
class Limits:
    """What a file may cost before it is refused (all from ``Settings``)."""

    max_file_bytes: int
    max_unzipped_bytes: int
    max_zip_entries: int
    max_paragraphs: int
    max_pdf_pages: int

    @staticmethod
    def from_settings(settings: Settings) -> "Limits":
        return Limits(settings.max_upload_bytes, settings.max_unzipped_bytes, settings.max_zip_entries,
                      settings.max_paragraphs, settings.max_pdf_pages)


Reader = Callable[[bytes, str, Limits], "tuple[str, list[str]]"]


@dataclass(frozen=True)
class FileType:
    suffix: str  # ".docx"
    label: str  # shown to officials
    reader: Reader


FILE_TYPES: dict[str, FileType] = {}


def register(suffix: str, label: str):
    """Decorator: ``reader`` reads files ending in ``suffix``; the CLI and the uploader list these."""
    def wrap(reader: Reader) -> Reader:
        FILE_TYPES[suffix] = FileType(suffix, label, reader)
        return reader
    return wrap


def suffixes() -> tuple[str, ...]:
    """(".txt", ".md", ...): what the CLI accepts."""
    return tuple(FILE_TYPES)


def upload_types() -> list[str]:
    """["txt", "md", ...]: what Streamlit's file_uploader ``type=`` wants."""
    return [s.lstrip(".") for s in FILE_TYPES]


def describe() -> str:
    return " / ".join(FILE_TYPES)


def refuse_limit(file_name: str, what_zh: str, what_en: str, found: int, limit: int, setting: str) -> DocumentError:
    return DocumentError(f"文件超出限制：{file_name} 的{what_zh}为 {found:,}，上限 {limit:,}（设置 {setting}）/ {file_name} "
                         f"exceeds the limit on {what_en}: {found:,} > {limit:,} (Settings.{setting}); nothing was added.")


def check_type(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix not in FILE_TYPES:
        hint = "；请另存为 .docx / save it as .docx" if suffix in (".doc", ".wps") else ""
        raise DocumentError(f"不支持的文件类型 {suffix or '(无扩展名)'}（支持：{'、'.join(FILE_TYPES)}）{hint} / "
                            f"Unsupported file type {suffix or '(none)'} for {file_name}; supported: {', '.join(FILE_TYPES)}.")
    return suffix


def extract_text(data: bytes, file_name: str, limits: Limits | None = None) -> tuple[str, list[str]]:
    """The file's text (lines separated by \\n) and warnings; DocumentError when unusable or over a limit."""
    limits = limits or Limits.from_settings(Settings())
    suffix = check_type(file_name)
    if len(data) > limits.max_file_bytes:
        raise refuse_limit(file_name, "大小（字节）", "file size (bytes)", len(data), limits.max_file_bytes,
                           "max_upload_bytes")
    if not data.strip():
        raise DocumentError(f"文件为空：{file_name} / The file is empty: {file_name}.")
    text, warnings = FILE_TYPES[suffix].reader(data, file_name, limits)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > limits.max_paragraphs:
        raise refuse_limit(file_name, "段落数", "paragraphs", len(lines), limits.max_paragraphs, "max_paragraphs")
    if not lines:
        raise DocumentError(f"文件中没有文字：{file_name} / No text found in {file_name}.")
    return "\n".join(lines), warnings


def _corrupt(file_name: str, what: str, exc: Exception) -> DocumentError:
    return DocumentError(f"文件损坏或不是有效的 {what}：{file_name}（{exc.__class__.__name__}）/ "
                         f"{file_name} is damaged or not a valid {what} file; open and re-save it, then try again.")


# ----------------------------------------------------------------------------- plain text


@register(".txt", "纯文本")
def _read_txt(data: bytes, file_name: str, limits: Limits) -> tuple[str, list[str]]:
    return decode_text(data, file_name)


register(".md", "Markdown")(_read_txt)

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# candidate encodings by family; the decoder used is the family's superset
FAMILIES = {"gb18030": "GB18030/GBK", "cp950": "Big5", "cp932": "Shift-JIS"}
_FAMILY_OF = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "hz": "gb18030", "big5": "cp950",
              "big5hkscs": "cp950", "cp950": "cp950", "shift_jis": "cp932", "cp932": "cp932",
              "shift_jis_2004": "cp932", "shift_jisx0213": "cp932"}
MIN_SCORE = 0.8  # below this no decoding is plausible: refuse rather than store mojibake
CONFIDENT_SCORE, CONFIDENT_MARGIN, CONFIDENT_CHARS = 0.93, 0.2, 30


@dataclass
class Decoding:
    encoding: str
    text: str
    score: float  # share of the non-ASCII letters that are common in this encoding's script
    letters: int


def _in_range(encoded: bytes, low: int, high: int) -> bool:
    return len(encoded) == 2 and low <= (encoded[0] << 8 | encoded[1]) <= high


def _char_weight(ch: str, family: str) -> float:
    """1 for a common character of the family's script, 0.5 for a rarer one, 0 for one a misreading produces."""
    code = ord(ch)
    if family == "cp932" and 0x3040 <= code <= 0x30FF:
        return 1.0  # kana
    if 0xFF61 <= code <= 0xFF9F or 0xE000 <= code <= 0xF8FF or code == 0xFFFD:
        return 0.0  # half-width katakana, private use, replacement: typical of a wrong decoding
    try:
        if family == "gb18030":
            b = ch.encode("gb2312")
            return 1.0 if b[0] >= 0xB0 and b[0] <= 0xD7 else 0.5 if b[0] >= 0xD8 else 0.0
        if family == "cp950":
            b = ch.encode("big5")
            return 1.0 if _in_range(b, 0xA440, 0xC67E) else 0.5 if _in_range(b, 0xC940, 0xF9D5) else 0.0
        b = ch.encode("shift_jis")
        return 1.0 if _in_range(b, 0x889F, 0x9872) else 0.5 if _in_range(b, 0x989F, 0xEAA4) else 0.0
    except UnicodeEncodeError:
        return 0.0


def _score(text: str, family: str) -> tuple[float, int]:
    letters = [ch for ch in text if ord(ch) >= 0x80 and unicodedata.category(ch)[0] in "LNC"]
    if not letters:
        return 1.0, 0
    return sum(_char_weight(ch, family) for ch in letters) / len(letters), len(letters)


def _controls_ok(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls <= max(2, len(text) // 100)


def candidate_decodings(data: bytes) -> list[Decoding]:
    """Every plausible decoding of non-UTF-8 bytes, best first."""
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only needed for non-UTF-8 files

    guesses = [m.encoding for m in from_bytes(data)]
    families = list(dict.fromkeys([*(_FAMILY_OF[g] for g in guesses if g in _FAMILY_OF), *FAMILIES]))
    found = []
    for family in families:
        try:
            text = data.decode(family)
        except UnicodeDecodeError:
            continue
        if not _controls_ok(text):
            continue
        score, letters = _score(text, family)
        found.append(Decoding(family, text, score, letters))
    return sorted(found, key=lambda d: -d.score)


def decode_text(data: bytes, file_name: str) -> tuple[str, list[str]]:
    """UTF-8 (BOM or not) and UTF-16/32 with a BOM as they are; else the best-scoring of GB18030, Big5 and
    Shift-JIS. Japanese text is refused (this assistant reads Chinese documents); so is any text no
    encoding makes plausible. A warning says which encoding was used when the choice was not clear-cut."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), file_name), []
            except UnicodeDecodeError:
                break
    try:
        return _checked(data.decode("utf-8"), file_name), []
    except UnicodeDecodeError:
        pass
    ranked = candidate_decodings(data)
    if not ranked:
        raise DocumentError(f"不是文本文件（任何编码都读不通）：{file_name} / {file_name} is not a text file in any "
                            "encoding tried (UTF-8, GB18030, Big5, Shift-JIS).")
    if ranked[0].score < MIN_SCORE:
        tried = "、".join(f"{FAMILIES[d.encoding]} {d.score:.2f}" for d in ranked) or "none decodes"
        raise DocumentError(f"无法可靠识别文件编码：{file_name}（{tried}），为避免乱码未添加；请另存为 UTF-8 / Cannot tell "
                            f"the encoding of {file_name} reliably ({tried}); it was not added, to avoid storing garbled "
                            "text. Save it as UTF-8 and try again.")
    best = ranked[0]
    name = FAMILIES[best.encoding]
    kana = sum(1 for ch in best.text if 0x3040 <= ord(ch) <= 0x30FF)
    if best.encoding == "cp932" and kana >= max(2, best.letters // 20):
        raise DocumentError(f"文件是日文（{name} 编码）：{file_name}；本助手只处理中文文件 / {file_name} is Japanese text "
                            f"({name}); this assistant reads Chinese documents only, so it was not added.")
    warnings = []
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score < CONFIDENT_SCORE or best.score - runner_up < CONFIDENT_MARGIN or best.letters < CONFIDENT_CHARS:
        warnings.append(f"编码识别把握不大，按 {name} 读取，请核对文字 / encoding detection is not certain: read as {name} "
                        f"(score {best.score:.2f}, next {runner_up:.2f}, {best.letters} characters); check the text.")
    if best.encoding == "cp950":
        warnings.append(f"按 {name}（繁体中文）读取 / read as {name} (traditional Chinese)")
    return _checked(best.text, file_name), warnings


def _checked(text: str, file_name: str) -> str:
    if not _controls_ok(text):
        raise DocumentError(f"不是文本文件：{file_name} / {file_name} is not a text file.")
    return text


# ----------------------------------------------------------------------------------- .docx


def check_zip(data: bytes, file_name: str, limits: Limits) -> zipfile.ZipFile:
    """The archive, after its entry count and decompressed size are checked (headers are not trusted:
    each entry is inflated with a running budget, so a lying size stops at the limit)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _corrupt(file_name, "Word (.docx)", exc) from exc
    if len(entries) > limits.max_zip_entries:
        raise refuse_limit(file_name, "压缩包条目数", "zip entries", len(entries), limits.max_zip_entries,
                           "max_zip_entries")
    declared = sum(e.file_size for e in entries)
    if declared > limits.max_unzipped_bytes:
        raise refuse_limit(file_name, "解压后大小（字节）", "decompressed size (bytes)", declared,
                           limits.max_unzipped_bytes, "max_unzipped_bytes")
    total = 0
    try:
        for entry in entries:
            with archive.open(entry) as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
                    if total > limits.max_unzipped_bytes:
                        raise refuse_limit(file_name, "解压后大小（字节）", "decompressed size (bytes)", total,
                                           limits.max_unzipped_bytes, "max_unzipped_bytes")
    except DocumentError:
        raise
    except Exception as exc:  # zlib errors, bad CRCs, encrypted entries
        raise _corrupt(file_name, "Word (.docx)", exc) from exc
    return archive


_W_P = re.compile(rb"<w:p[ >/]")
_W_TR = re.compile(rb"<w:tr[ >/]")


@register(".docx", "Word")
def _read_docx(data: bytes, file_name: str, limits: Limits) -> tuple[str, list[str]]:
    """Body paragraphs and table rows in document order; a row's cells are joined by tabs."""
    archive = check_zip(data, file_name, limits)
    try:
        body = archive.read("word/document.xml")
    except KeyError as exc:
        raise _corrupt(file_name, "Word (.docx)", exc) from exc
    blocks = len(_W_P.findall(body)) + len(_W_TR.findall(body))
    if blocks > limits.max_paragraphs:
        raise refuse_limit(file_name, "段落数", "paragraphs", blocks, limits.max_paragraphs, "max_paragraphs")

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
    return "\n".join(lines), []


# ------------------------------------------------------------------------------------- PDF


@register(".pdf", "PDF（文字层）")
def _read_pdf(data: bytes, file_name: str, limits: Limits) -> tuple[str, list[str]]:
    """The text layer, page by page, with layout line wraps rejoined into paragraphs."""
    from pypdf import PdfReader  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"PDF 已加密：{file_name} / {file_name} is encrypted; remove the password first.")
        declared = int(reader.trailer["/Root"]["/Pages"].get("/Count", 0))  # read before walking the page tree
        if declared > limits.max_pdf_pages:
            raise refuse_limit(file_name, "页数", "PDF pages", declared, limits.max_pdf_pages, "max_pdf_pages")
        if len(reader.pages) > limits.max_pdf_pages:
            raise refuse_limit(file_name, "页数", "PDF pages", len(reader.pages), limits.max_pdf_pages, "max_pdf_pages")
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1].encode("utf-8"))
            if size > limits.max_unzipped_bytes:
                raise refuse_limit(file_name, "文字量（字节）", "extracted text (bytes)", size, limits.max_unzipped_bytes,
                                   "max_unzipped_bytes")
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
    return "\n".join(reflow([line for line in lines if line and not PAGE_NUMBER.match(line)])), warnings


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def reflow(lines: list[str]) -> list[str]:
    """Join lines a PDF wrapped mid-sentence.

    A wrapped line runs to (nearly) the full width and does not end a sentence; a short
    line, one ending in 。；：) or a heading, or an article, ends its paragraph.
    """
    from assistant.documents.parse import is_heading  # noqa: PLC0415 - parse imports nothing from here

    widths = sorted(_width(line) for line in lines)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    out: list[str] = []
    wrapped = False  # whether the last line of out[-1] was a wrapped one
    for line in lines:
        starts_block = ARTICLE.match(line) or DIVISION.match(line) or any(p.match(line) for _, p in HEADINGS)
        if out and wrapped and not starts_block:
            out[-1] += (" " if out[-1][-1].isascii() and line[0].isascii() else "") + line
        else:
            out.append(line)
        wrapped = (_width(line) >= 0.8 * full and line[-1] not in SENTENCE_END + ":：)）.”\""
                   and not is_heading(line))
    return out
