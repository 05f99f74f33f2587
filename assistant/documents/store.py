"""The folder of added documents: manifest, one lock with the index, and transactions.

Layout of ``Settings.added_dir``::

    manifest.json          the documents (written atomically, last)
    <hash>.txt             each document's extracted text, content-addressed
    .transaction.json      present only while an add or remove is in progress

Every change runs under the index lock (``index_dir/.lock``, shared with ``build_index``),
so two processes or two app sessions adding at once are serialised and neither loses the
other's document. Before changing anything a transaction writes a journal holding the
previous manifest and the files it will create; it deletes the journal when the change and
the re-index are done. A journal found later belongs to a process that died mid-way: the
next load rolls the folder back to the previous manifest, so an add either completes or
leaves nothing.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from assistant.clauses import PLAN_SOURCE, Clause, CorpusError, content_hash
from assistant.config import Settings
from assistant.documents.extract import Limits, check_type, extract_text, refuse_limit
from assistant.documents.parse import looks_like_title, parse_document
from assistant.documents.patterns import CODE
from assistant.documents.titles import AddedDocument, DocumentError, find_codes, title_key
from assistant.laws import ABBREVIATIONS, law_names
from assistant.locking import LockBusy, exclusive

MANIFEST = "manifest.json"
JOURNAL = ".transaction.json"
STAGING_PREFIX = ".staging-"  # temp files in added_dir (ignored by git)
FILE_MODE = 0o644  # the app may run as another user than the CLI that added the file
ADDED, ALREADY_PRESENT = "added", "already present"
Progress = Callable[[str, int, int], None]

_active: set[str] = set()  # tokens of transactions running in this process


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


@dataclass
class AddOutcome:
    results: list[AddResult]
    report: object | None = None  # index.BuildReport when the index was updated

    @property
    def changed(self) -> bool:
        return any(r.status == ADDED for r in self.results)


@dataclass
class Journal:
    token: str
    pid: int
    action: str  # add | remove
    previous_manifest: str | None  # None: there was no manifest
    new_files: list[str]
    made_folder: bool


# ------------------------------------------------------------------------------ low level


def manifest_path(settings: Settings) -> Path:
    return settings.added_dir / MANIFEST


def lock_path(settings: Settings) -> Path:
    """The one lock for the added documents and the index (index.build_lock uses the same file)."""
    return settings.index_dir / ".lock"


@contextmanager
def corpus_lock(settings: Settings, wait_seconds: float = 600) -> Iterator[None]:
    try:
        with exclusive(lock_path(settings), wait_seconds):
            yield
    except LockBusy:
        raise DocumentError(f"另一个进程正在添加文件或重建索引，请稍后再试 / Another process has held the index lock "
                            f"({lock_path(settings)}) for {wait_seconds:.0f}s; try again later.") from None


def read_manifest(settings: Settings) -> list[AddedDocument]:
    path = manifest_path(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [AddedDocument.from_json(item) for item in data["documents"]]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(f"Added-documents manifest {path} is not valid ({exc}); restore it from a backup, or "
                          f"delete {settings.added_dir} and add the documents again.") from exc


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, then rename over ``path``; no partial files."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=STAGING_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def manifest_bytes(documents: list[AddedDocument]) -> bytes:
    data = {"format": 1, "documents": [d.to_json() for d in documents]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------- transactions


def _read_journal(settings: Settings) -> Journal | None:
    try:
        return Journal(**json.loads((settings.added_dir / JOURNAL).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:  # written atomically, so only tampering gets here
        raise CorpusError(f"{settings.added_dir / JOURNAL} is damaged ({exc}); check {manifest_path(settings)} "
                          "and delete the journal.") from exc


def _rollback(settings: Settings, journal: Journal) -> None:
    """Put the folder back as the journal says it was; the journal goes last."""
    folder = settings.added_dir
    path = manifest_path(settings)
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if journal.previous_manifest is None:
        path.unlink(missing_ok=True)
    elif current != journal.previous_manifest:
        atomic_write(path, journal.previous_manifest.encode("utf-8"))
    keep = {d.stored_as for d in read_manifest(settings)}
    for name in journal.new_files:
        if name not in keep:
            (folder / name).unlink(missing_ok=True)
    for leftover in folder.glob(STAGING_PREFIX + "*"):
        leftover.unlink(missing_ok=True)
    (folder / JOURNAL).unlink(missing_ok=True)
    if journal.made_folder and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def recover_interrupted(settings: Settings) -> str | None:
    """Roll back an add or remove whose process died; a message when something was undone.

    A journal whose writer is alive is left alone: another process holds the lock (we do
    not wait for it), or it is this thread's own transaction in progress.
    """
    if not (settings.added_dir / JOURNAL).exists():
        return None
    try:
        with exclusive(lock_path(settings), wait_seconds=0):
            journal = _read_journal(settings)
            if journal is None or journal.token in _active:
                return None
            _rollback(settings, journal)
    except LockBusy:
        return None
    from assistant.corpus import reset_cache  # noqa: PLC0415 - corpus imports this package

    reset_cache()
    return (f"上次未完成的{'添加' if journal.action == 'add' else '删除'}已撤销 / an interrupted {journal.action} "
            f"(process {journal.pid}) was rolled back; the documents are as they were before it.")


@contextmanager
def transaction(settings: Settings, action: str, new_files: list[str]) -> Iterator[Journal]:
    """Journal first, then the caller's changes; on any failure (or a later crash) they are undone.

    The caller must hold ``corpus_lock``.
    """
    folder = settings.added_dir
    made_folder = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = manifest_path(settings)
    previous = path.read_text(encoding="utf-8") if path.exists() else None
    journal = Journal(uuid.uuid4().hex, os.getpid(), action, previous, new_files, made_folder)
    try:
        atomic_write(folder / JOURNAL, json.dumps(asdict(journal), ensure_ascii=False).encode("utf-8"))
    except BaseException:
        if made_folder and not any(folder.iterdir()):
            folder.rmdir()
        raise
    _active.add(journal.token)
    try:
        yield journal
    except BaseException:
        _rollback(settings, journal)
        raise
    else:
        (folder / JOURNAL).unlink(missing_ok=True)
    finally:
        _active.discard(journal.token)


# ------------------------------------------------------------------------------------ add


@dataclass
class Extracted:
    path: Path
    text: str
    warnings: list[str]


def read_file(path: Path, settings: Settings) -> Extracted:
    """Type, size and every other limit checked before the file is parsed; nothing is written."""
    if not path.is_file():
        raise DocumentError(f"找不到文件：{path} / File not found: {path}.")
    check_type(path.name)
    size = path.stat().st_size
    if size > settings.max_upload_bytes:
        raise DocumentError(f"文件过大：{path.name} 为 {size / 1048576:.1f} MB，上限 {settings.max_upload_bytes / 1048576:.1f} MB"
                            f"（设置 max_upload_bytes）/ {path.name} is {size} bytes, over the limit of "
                            f"{settings.max_upload_bytes} bytes (Settings.max_upload_bytes).")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"无法读取文件：{path}（{exc}）/ Cannot read {path} ({exc}).") from exc
    text, warnings = extract_text(data, path.name, Limits.from_settings(settings))
    return Extracted(path, text, warnings)


def _law_keys(settings: Settings) -> set[str]:
    """Full and short names of the laws in the law file (empty when it cannot be read)."""
    try:
        names = law_names(Path(settings.law_db))
    except CorpusError:
        return set()
    return {title_key(n) for n in names} | {title_key(a) for a in ABBREVIATIONS}


def _default_title(text: str, path: Path) -> str:
    first = text.split("\n", 1)[0].strip().strip("《》")
    return first if looks_like_title(first) else path.stem


def _check_title_length(name: str, settings: Settings) -> None:
    if len(name) > settings.max_title_chars:
        raise refuse_limit(f"“{name[:20]}…”", "标题长度（字）", "title length (characters)", len(name),
                           settings.max_title_chars, "max_title_chars")


def _check_title(name: str, settings: Settings, documents: list[AddedDocument], laws: set[str]) -> None:
    if not name:
        raise DocumentError("标题不能为空 / The title must not be empty.")
    _check_title_length(name, settings)
    key = title_key(name)
    if key == PLAN_SOURCE:
        raise DocumentError(f"标题“{name}”与规划同名，请用 --title 另取标题 / The title {name!r} is the plan's; "
                            "give another with --title.")
    if key in laws:
        raise DocumentError(f"标题“{name}”与法律数据库中的法律同名，请用 --title 另取标题 / {name!r} is the name of a law "
                            "already in the law database; give this document another title with --title.")
    clash = next((d for d in documents if d.matches(name)), None)
    if clash is not None:
        raise DocumentError(f"已有同名但内容不同的文件《{clash.title}》（{clash.file_name}），请用 --title 另取标题，"
                            f"或先删除旧文件 / A different document titled {clash.title!r} is already added; give "
                            "this one another title with --title, or remove the old one first.")


def _plan_add(extracted: list[Extracted], documents: list[AddedDocument], settings: Settings,
              title: str | None) -> tuple[list[AddResult], dict[str, str]]:
    """Results and {stored_as: text} for the new ones; appends new documents to ``documents``."""
    results: list[AddResult] = []
    texts: dict[str, str] = {}
    laws: set[str] | None = None
    for item in extracted:
        digest = content_hash(item.text)
        same = next((d for d in documents if d.content_hash == digest), None)
        if same is not None:
            results.append(AddResult(same, ALREADY_PRESENT, 0, item.warnings))
            continue
        first = item.text.split("\n", 1)[0].strip().strip("《》")
        name = title.strip().strip("《》").strip() if title is not None else _default_title(item.text, item.path)
        laws = _law_keys(settings) if laws is None else laws
        _check_title(name, settings, documents, laws)
        kind, pairs = parse_document(name, item.text)
        if not pairs:
            raise DocumentError(f"文件中除标题外没有正文：{item.path.name} / {item.path.name} has no text besides its title.")
        key = title_key(name)
        aliases = [a for a in dict.fromkeys([first, re.sub(r"[（(]?\s*" + CODE.pattern + r"\s*[)）]?", "", name).strip()])
                   if a and looks_like_title(a) and title_key(a) != key and not any(d.matches(a) for d in documents)]
        head = "\n".join([name, *item.text.split("\n")[:5]])
        document = AddedDocument(name, item.path.name, digest, date.today().isoformat(), kind, f"{digest}.txt",
                                 aliases, find_codes(head))
        documents.append(document)
        texts[document.stored_as] = item.text
        results.append(AddResult(document, ADDED, len(pairs), item.warnings))
    return results, texts


def add_and_reindex(paths, settings: Settings, title: str | None = None, progress: Progress | None = None,
                    *, reindex: bool = True) -> AddOutcome:
    """Add every file or none, and bring the index up to date, as one locked transaction.

    The CLI's ``add`` and the app's uploader both call this. Files are read and checked
    before the lock is taken; under the lock the manifest is re-read (so a concurrent add is
    never overwritten), the texts and manifest written, and the index rebuilt. Any failure,
    including an interrupted re-index, leaves the documents and the index as they were.
    """
    paths = [Path(p) for p in paths]
    if title is not None and len(paths) != 1:
        raise DocumentError("--title 只能用于单个文件 / --title applies to a single file.")
    if title is not None:
        _check_title_length(title.strip().strip("《》").strip(), settings)  # before reading any file
    extracted = [read_file(path, settings) for path in paths]
    with corpus_lock(settings):
        recover_interrupted(settings)
        documents = read_manifest(settings)
        results, texts = _plan_add(extracted, documents, settings, title)
        if not texts:
            return AddOutcome(results)
        report = None
        with transaction(settings, "add", list(texts)):
            for name, text in texts.items():
                target = settings.added_dir / name
                if not target.exists():
                    atomic_write(target, text.encode("utf-8"))
            atomic_write(manifest_path(settings), manifest_bytes(documents))
            if reindex:
                report = _reindex(settings, progress)
        return AddOutcome(results, report)


def _reindex(settings: Settings, progress: Progress | None):
    from assistant.index import refresh_index  # noqa: PLC0415 - index imports corpus, which imports this package

    return refresh_index(settings, progress=progress)


def add_files(paths, settings: Settings, title: str | None = None) -> list[AddResult]:
    """Add every file or none, without touching the index (it is rebuilt when next opened)."""
    return add_and_reindex(paths, settings, title, reindex=False).results


def add_file(path: Path | str, settings: Settings, title: str | None = None) -> AddResult:
    return add_files([path], settings, title)[0]


# --------------------------------------------------------------------------------- remove


def remove_and_reindex(title: str, settings: Settings, progress: Progress | None = None, *,
                       reindex: bool = True) -> tuple[AddedDocument, object | None]:
    """Drop a document (by title, alias or code) and update the index, as one locked transaction."""
    with corpus_lock(settings):
        recover_interrupted(settings)
        documents = read_manifest(settings)
        found = next((d for d in documents if d.matches(title)), None)
        if found is None:
            listed = "、".join(f"《{d.title}》" for d in documents) or "（无 / none）"
            raise DocumentError(f"没有名为“{title}”的已添加文件；现有：{listed} / No added document titled {title!r}; "
                                f"added documents: {', '.join(d.title for d in documents) or 'none'}.")
        remaining = [d for d in documents if d is not found]
        report = None
        with transaction(settings, "remove", []):
            atomic_write(manifest_path(settings), manifest_bytes(remaining))
            if reindex:
                report = _reindex(settings, progress)
        if all(d.stored_as != found.stored_as for d in remaining):  # after the commit: a rollback needs the text
            (settings.added_dir / found.stored_as).unlink(missing_ok=True)
        return found, report


def remove_document(title: str, settings: Settings) -> AddedDocument:
    return remove_and_reindex(title, settings, reindex=False)[0]


# ---------------------------------------------------------------------------------- load


def load_added(settings: Settings) -> tuple[list[AddedDocument], list[Clause], list[tuple[Clause, str]]]:
    """Added documents, all their clauses, and (clause, role) pairs of the plan-style ones.

    An add or remove interrupted by a crash is rolled back first.
    """
    recover_interrupted(settings)
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
