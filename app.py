"""The Streamlit page officials use: a conversation with the plan and the laws, browse tables, feedback.

A page, not a second engine: it calls the same functions as the CLI (``AnswerEngine.ask``,
``conversation.answer_followup``, ``HistoryStore``, ``add_file``, ``exports``) and renders the
``Answer`` object. Formatting helpers live in ``assistant/pageformat.py``; every session-state
key is declared in ``Keys``. Run it with::

    python -m streamlit run app.py

The server listens at once; the engine (index build on a first start) opens in a background
thread while the page shows its progress. A conversation is stored (SQLite by default) under
an id kept in the URL (``?c=…``), so a reload or a shared link restores it; ``?u=…`` is this
browser's owner token, which scopes the sidebar's list of recent conversations.
Importing this module (rather than running it) only defines the helpers, so tests can call them.
"""

from __future__ import annotations

import gc
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from assistant.config import Settings
from assistant.pageformat import (RELATED_HEADING, anchor_id, answer_as_text, citation_heading, citation_notice,  # noqa: F401
                                  clause_link, clause_url, elapsed_ms, esc, highlighted, html_block, law_status_text,
                                  markdown_answer, md_escape, where, with_markers)

APP_TITLE = "昌吉州土壤、地下水和农村生态环境保护“十四五”规划 · 问答助手"
TABS = ["问答", "责任分工", "指标目标", "引用文件", "条款", "反馈管理", "法律依据变化"]
EXAMPLES = [
    "哪个部门牵头农村生活污水治理？",
    "农村生活污水治理率2025年的目标是多少？",
    "土壤污染防治法第二十一条规定了什么？",
    "州工信局牵头哪些任务？",
]
ALL = "全部"
CLAUSES_PER_PAGE = 40
STAGES = {"bm25": "建立关键词索引", "embed": "向量化条款"}
STARTUP_WAIT_SECONDS = 5.0  # a warm start finishes within this; longer ones show progress in the page
RECENT_LIMIT = 15
DOC_KINDS = {"regulation": "按条", "plan": "按标题", "paragraphs": "按段"}
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class Keys:
    """Every st.session_state key the page uses, in one place."""

    OWNER = "owner"  # this browser's owner token (also ?u= in the URL)
    CONVERSATION = "conversation_id"  # the open conversation (also ?c= in the URL)
    LOADED = "loaded_conversation"  # which conversation TURNS was loaded for
    TURNS = "turns"  # list[PageTurn] of the open conversation
    PENDING = "pending_question"  # an example button's question
    FEEDBACK_SAVED = "feedback_saved"  # {turn key: "up" | "down"}
    UPLOAD_MESSAGE = "upload_message"
    UPLOAD_GEN = "upload_gen"
    CHAT = "chat"
    RESP_BUREAU = "resp-bureau"
    CLAUSE_PARAM = "clause-param"
    CLAUSE_SEARCH = "clause-search"
    CLAUSE_SOURCE = "clause-source"
    CLAUSE_PAGE = "clause-page"
    PAGE_RUNS = "page_runs"  # full runs of the page in this session (a chat question is a fragment run: not counted)


class Query:
    CONVERSATION = "c"
    OWNER = "u"
    CLAUSE = "clause"


CSS = """
<style>
.clause-text {white-space: normal; line-height: 1.7;}
.clause-text mark {background: #fff1a8; padding: 0 .1em;}
.editorial {color: #1f5fbf; border-bottom: 1px dashed #1f5fbf; cursor: help;}
.corpus-counts ul {padding-left: 1.1em; margin-bottom: .3em;}
.corpus-counts li {margin-bottom: .15em; line-height: 1.45;}
.corpus-counts .status {color: #8a5a00; font-size: .85em;}
.clause-head a {font-weight: 400; margin-left: .8em; font-size: .9em;}
/* the uploader's built-in English labels, in Chinese */
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {visibility: hidden; position: relative;}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span::before {content: "将文件拖放到这里"; visibility: visible;
  position: absolute; left: 0; white-space: nowrap;}
[data-testid="stFileUploaderDropzoneInstructions"] > div > small {visibility: hidden; position: relative;}
[data-testid="stFileUploaderDropzoneInstructions"] > div > small::before {content: "单个文件不超过 20 MB"; visibility: visible;
  position: absolute; left: 0; white-space: nowrap;}
[data-testid="stFileUploaderDropzone"] button {font-size: 0 !important;}
[data-testid="stFileUploaderDropzone"] button::after {content: "选择文件"; font-size: .9rem;}
</style>
"""


# ------------------------------------------------------------------------------ engine (background start)


@dataclass
class EngineJob:
    """Opens the AnswerEngine in a background thread; the page polls it and shows progress."""

    stage: str = ""
    done: int = 0
    total: int = 0
    notices: list[str] = field(default_factory=list)
    engine: object = None
    error: str | None = None
    finished: threading.Event = field(default_factory=threading.Event)
    settled: bool = False  # the heap was frozen again after the first full page (see settle_heap)

    def run(self, settings: Settings) -> None:
        from assistant.answer import AnswerEngine

        gc.unfreeze()  # a replaced engine (after an upload) becomes collectable again
        try:
            self.engine = AnswerEngine.open(settings, notice=self.notices.append, progress=self._progress)
            freeze_heap()
        except Exception as exc:  # noqa: BLE001 - any start-up failure is shown, never a traceback
            self.error = str(exc) or exc.__class__.__name__
        finally:
            self.finished.set()

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = stage, done, total


def freeze_heap() -> None:
    """Take what is alive now (the engine, the corpus, the indexes, every imported module) out of the collector's view.

    Streamlit runs ``gc.collect(2)`` after every script run, a chat question's fragment run included. With the
    engine loaded that walks ~470,000 objects: ~200 ms of CPU holding the GIL, per question, for every session
    (issue 11). Frozen objects are still freed by reference counting; only reference cycles among them wait
    until the next ``gc.unfreeze()`` (an engine reopened after an upload).
    """
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner=False)
def engine_job(settings_key: str, _settings: Settings) -> EngineJob:
    """One engine per process and settings, opened in the background so the server answers at once."""
    job = EngineJob()
    threading.Thread(target=job.run, args=(_settings,), name="engine-open", daemon=True).start()
    return job


def settle_heap(settings: Settings) -> None:
    """Once per engine, after the first full page: freeze again what that page loaded for good.

    The first page imports pandas/pyarrow, builds the browse tables and fills the caches: ~75,000 more
    long-lived objects, which would cost every later run 15-35 ms of ``gc.collect(2)``.
    """
    job = engine_job(repr(settings), settings)
    if job.engine is not None and not job.settled:
        job.settled = True
        freeze_heap()


def load_engine_clear() -> None:
    engine_job.clear()


@st.fragment(run_every=1.0)
def startup_progress(job: EngineJob) -> None:
    """Shown while the engine opens (a first start builds the index): polls, then reloads the page."""
    if job.finished.is_set():
        st.rerun(scope="app")
    st.info("问答助手正在准备：" + ("；".join(job.notices[-2:]) if job.notices else "加载规划、法律和检索索引…"))
    if job.total:
        st.progress(min(job.done / job.total, 1.0), text=f"{STAGES.get(job.stage, job.stage)}：{job.done}/{job.total}")
    else:
        st.progress(0.0, text="加载中…")
    st.caption("首次启动需要建立索引（约几分钟）；完成后页面自动刷新。")


def current_settings() -> Settings:
    return Settings.from_env()


def get_engine(settings: Settings):
    job = engine_job(repr(settings), settings)
    job.finished.wait(STARTUP_WAIT_SECONDS)
    if job.error is not None:
        st.error(md_escape(f"无法启动问答助手：{job.error}"))
        if st.button("重试", key="retry-start"):
            load_engine_clear()
            st.rerun()
        st.stop()
    if not job.finished.is_set():
        startup_progress(job)
        st.stop()
    return job.engine, job.notices


@st.cache_resource(show_spinner=False)
def history_store(url_key: str, _settings: Settings):
    from assistant.history import HistoryStore

    return HistoryStore.open(_settings)


def get_store(settings: Settings):
    """The conversation store, or None (with a notice) when it cannot be opened: the chat still works."""
    from assistant.history import HistoryError, database_url

    try:
        return history_store(database_url(settings), settings)
    except HistoryError as exc:
        st.warning(md_escape(f"对话记录暂不可用（刷新页面后对话不会保留）：{exc}"))
        return None


@st.cache_resource(show_spinner=False)
def editorial_repairs(corpus_dir: str):
    from assistant.editorial import repairs_for

    return repairs_for(Settings(corpus_dir=Path(corpus_dir)))


# ------------------------------------------------------------------------------ conversation state


@dataclass
class PageTurn:
    """One exchange as the page keeps it: the typed question, the reading, the Answer object."""

    question: str
    standalone: str
    answer: object = None  # assistant.answer.Answer
    seconds: float | None = None
    position: int | None = None  # in the stored conversation
    error: str = ""

    @property
    def understood(self) -> str:
        return f"理解为：{self.standalone}" if self.standalone and self.standalone != self.question else ""


def identity(store) -> tuple[str, str | None]:
    """This browser's owner token and the open conversation id, kept in the URL."""
    from assistant.history import new_id

    params = st.query_params
    owner = st.session_state.get(Keys.OWNER)
    if not owner:
        given = params.get(Query.OWNER, "")
        owner = given if TOKEN.match(given or "") else new_id()
        st.session_state[Keys.OWNER] = owner
    if params.get(Query.OWNER) != owner:
        params[Query.OWNER] = owner
    wanted = params.get(Query.CONVERSATION)
    if wanted and not TOKEN.match(wanted):
        wanted = None
    return owner, wanted


def load_conversation(store, engine, wanted: str | None) -> None:
    """Fill Keys.TURNS from the store when the URL names another conversation (a reload or a shared link)."""
    if st.session_state.get(Keys.LOADED) == (wanted or "") and Keys.TURNS in st.session_state:
        return
    turns: list[PageTurn] = []
    if wanted and store is not None:
        from assistant.conversation import restore_answer

        stored = store.get(wanted)
        if stored is None:
            st.session_state[Keys.CONVERSATION] = None
            st.toast("链接中的对话不存在或已被删除，已开始新对话。")
            del st.query_params[Query.CONVERSATION]
            wanted = None
        else:
            for t in stored.turns:
                answer = restore_answer(t.answer, engine.corpus)
                turns.append(PageTurn(t.question, t.standalone or t.question, answer, t.seconds, t.position))
    st.session_state[Keys.CONVERSATION] = wanted
    st.session_state[Keys.LOADED] = wanted or ""
    st.session_state[Keys.TURNS] = turns


def open_conversation(conversation_id: str | None) -> None:
    """Point the URL at a conversation (None: a new one); the run that follows loads it. Also a button callback."""
    if conversation_id:
        st.query_params[Query.CONVERSATION] = conversation_id
    elif Query.CONVERSATION in st.query_params:
        del st.query_params[Query.CONVERSATION]
    st.session_state.pop(Keys.LOADED, None)


def delete_conversation(store, conversation_id: str, owner: str) -> None:
    """The sidebar's 🗑 (a callback: it runs before the page, so the page draws the list without it)."""
    store.delete(conversation_id, owner)
    if conversation_id == st.session_state.get(Keys.CONVERSATION):
        open_conversation(None)


# ------------------------------------------------------------------------------ sidebar


def law_status(corpus, source: str) -> str:
    """已废止（被《生态环境法典》废止，自2026-08-15起失效）, 现行有效, or 已添加的文件."""
    law = corpus.law(source)
    if law is None:
        return "已添加的文件" if any(d.title == source for d in corpus.documents) else ""
    return law_status_text(law)


def render_sidebar(engine, notices: list[str], settings: Settings, store, owner: str) -> None:
    with st.sidebar:
        render_recent(store, owner)
        st.divider()
        render_corpus_summary(engine, notices)
        st.divider()
        render_upload(settings)


def render_recent(store, owner: str) -> None:
    """The owner's conversations. Drawn by full runs only: a chat question reruns the chat alone (issue 11),
    so a conversation started by a question joins this list at the page's next full run."""
    st.header("对话")
    st.button("＋ 新对话", key="new-conversation", width="stretch", on_click=open_conversation, args=(None,))
    if store is None:
        return
    current = st.session_state.get(Keys.CONVERSATION)
    recent = store.recent(owner, limit=RECENT_LIMIT)
    if not recent:
        st.caption("还没有保存的对话。提问后对话会自动保存，刷新页面或分享链接都能恢复。")
        return
    for item in recent:
        cols = st.columns([5, 1])
        label = (item.title or "（空对话）")[:24] + f"（{item.turn_count}）"
        cols[0].button(label, key=f"open-{item.id}", width="stretch", type="primary" if item.id == current else "secondary",
                       help=item.title, on_click=open_conversation, args=(item.id,))
        cols[1].button("🗑", key=f"delete-{item.id}", help="删除这个对话", on_click=delete_conversation,
                       args=(store, item.id, owner))
    if current:
        st.caption("分享这个对话：把地址栏中的链接（只保留 ?c=… 部分）发给同事。")


@st.cache_resource(show_spinner=False, max_entries=8)
def corpus_counts_html(fingerprint: str, _corpus) -> str:
    """The sidebar's clause counts per source with each law's status, once per corpus version."""
    from assistant.clauses import short_law_name

    lines = []
    for source, n in _corpus.counts().items():
        status = law_status(_corpus, source)
        lines.append(f'<li title="{esc(source)}"><b>{esc(short_law_name(source))}</b>　{n} 条'
                     + (f'<br><span class="status">{esc(status)}</span>' if status else "") + "</li>")
    return html_block(f"<ul>{''.join(lines)}</ul>", "corpus-counts")


def render_corpus_summary(engine, notices: list[str]) -> None:
    corpus = engine.corpus
    manifest = engine.index.manifest
    st.header("语料")
    st.markdown(corpus_counts_html(corpus.fingerprint, corpus), unsafe_allow_html=True)
    st.caption(md_escape(f"共 {len(corpus.clauses)} 条；索引 {manifest.clause_count} 条"))
    st.caption(md_escape(f"嵌入模型：{manifest.model_id or '无（仅关键词检索）'}"))
    st.caption(md_escape(f"索引构建于：{manifest.built_at}"))
    if notices:
        with st.expander("启动信息"):
            for message in notices:
                st.caption(md_escape(message))


def upload_message(result) -> str:
    """The uploader's result in Chinese."""
    doc = result.document
    if result.status != "added":
        return f"《{doc.title}》已存在，未作改动（{doc.file_name}）。"
    return f"已添加《{doc.title}》：{result.clauses} 条（{DOC_KINDS.get(doc.kind, doc.kind)}切分，文件 {doc.file_name}）。"


def render_upload(settings: Settings) -> None:
    st.subheader("添加文件")
    message = st.session_state.pop(Keys.UPLOAD_MESSAGE, None)
    if message:
        st.success(md_escape(message))
    gen = st.session_state.setdefault(Keys.UPLOAD_GEN, 0)
    from assistant.documents import upload_types

    types = upload_types()
    upload = st.file_uploader(f"法规、方案或通知（{' / '.join('.' + t for t in types)}）", type=types, key=f"upload-{gen}")
    title = st.text_input("标题（可选，默认取文件第一行）", key=f"upload-title-{gen}")
    if not st.button("添加", key="add-document"):
        return
    if upload is None:
        st.warning("请先选择一个文件。")
        return
    from assistant.corpus import reset_cache
    from assistant.documents import DocumentError, add_and_reindex

    bar = st.progress(0.0, text="读取文件…")
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / (Path(upload.name).name or "upload.txt")
            path.write_bytes(upload.getvalue())
            outcome = add_and_reindex([path], settings, title=title.strip() or None, progress=lambda stage, done, total:
                                      bar.progress(min(done / total, 1.0) if total else 0.0,
                                                   text=f"{STAGES.get(stage, stage)}：{done}/{total}"))
        result = outcome.results[0]
    except DocumentError as exc:
        st.error(md_escape(str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - e.g. an unreadable manifest (CorpusError); nothing was added
        st.error(md_escape(f"添加失败，未作改动：{exc}"))
        return
    finally:
        bar.empty()
    if outcome.changed:
        load_engine_clear()
        reset_cache()
    warnings = "；".join(result.warnings)
    st.session_state[Keys.UPLOAD_MESSAGE] = upload_message(result) + (f"（提示：{warnings}）" if warnings else "")
    st.session_state[Keys.UPLOAD_GEN] = gen + 1
    st.rerun()


# ------------------------------------------------------------------------------ one answer


@dataclass
class Page:
    """What the render functions share for one run."""

    engine: object
    store: object
    repairs: object
    settings: Settings
    owner: str

    @property
    def corpus(self):
        return self.engine.corpus


def render_citation(page: Page, c) -> None:
    """A citation card: heading and link (native), role and 废止 notice, the clause with the quote highlighted."""
    clause = c.clause
    data = {"n": c.n, "clause_id": clause.clause_id, "source": clause.source, "article": clause.article,
            "section": clause.section}
    with st.container(border=True):
        st.markdown(f"**{md_escape(citation_heading(data))}**　　[在条款中查看 ↗]({clause_url(clause.clause_id)})")
        if c.role and c.role != "依据":
            st.caption(md_escape(f"角色：{c.role}"))
        notice = citation_notice({"source": clause.source, "notice": c.notice}, page.corpus)
        if notice:
            st.warning(md_escape(f"注意：{notice}"), icon="⚠️")
        st.markdown(html_block(highlighted(clause.text, c.quote, page.repairs), "clause-text"), unsafe_allow_html=True)
        if page.repairs.repaired(clause.text):
            st.caption("蓝色虚线下划线的文字为编者补正（抓取时脱漏），不是原文；引文以原文为准。")


def render_related(related: list) -> None:
    st.markdown(f"##### {RELATED_HEADING}")
    for clause in related:
        with st.container(border=True):
            head = " · ".join(p for p in (clause.clause_id, clause.source, clause.article or clause.section) if p)
            st.markdown(f"**{md_escape(head)}**　　[在条款中查看 ↗]({clause_url(clause.clause_id)})")
            text = clause.text if len(clause.text) <= 240 else clause.text[:240] + "…"
            st.caption(md_escape(text))


def answer_body(answer) -> str:
    """The answer text without the 理解为 line (the page shows the reading on its own)."""
    text = answer.text
    if text.startswith("理解为："):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text


def answer_file(kind: str, data: dict, page: "Page"):
    """A callable that makes the answer's .txt/.xlsx/.docx when the official clicks (never on a rerun)."""
    from assistant.exports import answer_docx, answer_xlsx

    makers = {"txt": lambda: answer_as_text(data, page.repairs, page.corpus).encode("utf-8"),
              "xlsx": lambda: answer_xlsx(data, page.repairs), "docx": lambda: answer_docx(data, page.repairs)}
    return makers[kind]


def render_answer(page: Page, turn: PageTurn, key: str) -> None:
    if turn.error:
        st.error(md_escape(turn.error))
        return
    answer = turn.answer
    if turn.understood:
        st.caption(md_escape(turn.understood) + "（如理解有误，请换个说法完整地问）")
    body = answer_body(answer)
    if answer.abstained:
        st.warning(md_escape(body))
    else:
        st.markdown(markdown_answer(page.repairs.for_cli(body)) if page.repairs.repaired(body) else markdown_answer(body))
    for c in answer.citations:
        render_citation(page, c)
    if answer.related:
        render_related(answer.related)
    from assistant.exports import DOCX_MIME, XLSX_MIME

    data = answer.to_json()
    cols = st.columns([2, 2, 2, 2])
    cols[0].download_button("下载回答（.txt）", answer_file("txt", data, page), file_name=f"回答-{key}.txt",
                            mime="text/plain", key=f"download-{key}", on_click="ignore")
    cols[1].download_button("Excel（.xlsx）", answer_file("xlsx", data, page), file_name=f"回答-{key}.xlsx",
                            mime=XLSX_MIME, key=f"xlsx-{key}", on_click="ignore")
    cols[2].download_button("Word（.docx）", answer_file("docx", data, page), file_name=f"回答-{key}.docx",
                            mime=DOCX_MIME, key=f"docx-{key}", on_click="ignore")
    cols[3].caption(elapsed_ms(turn.seconds))
    render_feedback(page, turn, key)


# ------------------------------------------------------------------------------ feedback


def render_feedback(page: Page, turn: PageTurn, key: str) -> None:
    """👍/👎 under every answer; 👎 asks what was wrong and which clause is right."""
    from assistant.history import REASONS

    saved: dict = st.session_state.setdefault(Keys.FEEDBACK_SAVED, {})
    if key in saved:
        st.caption("已记录反馈，谢谢。" + ("" if saved[key] == "up" else "更正会被导出为回归测试题。"))
        return
    choice = st.feedback("thumbs", key=f"thumbs-{key}")
    if choice is None:
        return
    if choice == 1:
        save_feedback(page, turn, key, verdict="up")
        st.caption("已记录反馈，谢谢。")
        return
    answer = turn.answer
    with st.container(border=True):
        st.markdown("**这个回答哪里不对？**")
        reason = st.selectbox("问题类型", list(REASONS), format_func=REASONS.get, key=f"fb-reason-{key}")
        clause_id, quote = None, ""
        if reason != "should_abstain":
            options = [f"cite:{c.n}" for c in answer.citations] + ["search"]
            labels = {f"cite:{c.n}": f"[{c.n}] {c.clause.clause_id} · {c.clause.label()}" for c in answer.citations}
            labels["search"] = "另选条款（搜索）"
            picked = st.radio("正确的条款", options, format_func=labels.get, key=f"fb-pick-{key}")
            if picked == "search":
                needle = st.text_input("搜索条款（编号、标题或原文中的词）", key=f"fb-search-{key}")
                matches = search_clauses(page.corpus, needle, limit=30) if needle.strip() else []
                if needle.strip() and not matches:
                    st.caption("没有符合条件的条款。")
                if matches:
                    clause_id = st.selectbox("选择条款", [c.clause_id for c in matches], key=f"fb-clause-{key}",
                                             format_func=lambda cid: f"{cid} · {page.corpus.by_id[cid].text[:40]}…")
            else:
                citation = next(c for c in answer.citations if f"cite:{c.n}" == picked)
                clause_id, quote = citation.clause.clause_id, citation.quote
            own = st.text_input("条款中回答问题的原话（可选，须与原文一致）", key=f"fb-quote-{key}")
            if own.strip():
                quote = own.strip()
        expected = st.text_input("正确答案的要点（可选）", key=f"fb-expected-{key}")
        comment = st.text_area("补充说明（可选）", key=f"fb-comment-{key}")
        if st.button("提交反馈", key=f"fb-submit-{key}"):
            if reason != "should_abstain" and not clause_id:
                st.error("请选出正确的条款（或选择“原文没有答案，不应作答”）。")
                return
            if clause_id and quote and quote not in page.corpus.by_id[clause_id].text:
                st.error(md_escape(f"所填原话不在条款 {clause_id} 的原文中，请从原文中复制。"))
                return
            save_feedback(page, turn, key, verdict="down", reason=reason, clause_id=clause_id, quote=quote,
                          expected=expected.strip(), comment=comment.strip())
            st.success("已记录反馈，谢谢。更正会被导出为回归测试题。")


def save_feedback(page: Page, turn: PageTurn, key: str, verdict: str, **fields) -> None:
    saved: dict = st.session_state.setdefault(Keys.FEEDBACK_SAVED, {})
    if page.store is not None:
        page.store.add_feedback(question=turn.question, standalone=turn.standalone, answer=turn.answer.to_json(),
                                verdict=verdict, conversation_id=st.session_state.get(Keys.CONVERSATION),
                                turn_position=turn.position, **fields)
    saved[key] = verdict


def search_clauses(corpus, needle: str, source: str = ALL, limit: int | None = None) -> list:
    from assistant.clauses import squash

    needle = (needle or "").strip()
    exact = corpus.by_id.get(needle)
    if exact is not None:
        return [exact]
    key = squash(needle).lower()
    keys = search_keys(corpus.fingerprint, corpus) if key else None
    found = [c for i, c in enumerate(corpus.clauses) if (source == ALL or c.source == source) and (not key or key in keys[i])]
    return found[:limit] if limit else found


@st.cache_resource(show_spinner=False, max_entries=4)
def search_keys(fingerprint: str, _corpus) -> list[str]:
    """Every clause's search key, in corpus order, once per corpus version (not per keystroke and clause)."""
    return [_search_key(c) for c in _corpus.clauses]


# ------------------------------------------------------------------------------ chat


def set_pending(question: str) -> None:
    st.session_state[Keys.PENDING] = question


def turn_key(turn: PageTurn, index: int) -> str:
    conversation = st.session_state.get(Keys.CONVERSATION) or "local"
    return f"{conversation}-{turn.position if turn.position is not None else index}"


def ask_turn(page: Page, question: str) -> PageTurn:
    """Read the question against the conversation, ask the engine, store the turn."""
    from assistant.conversation import Turn, answer_followup

    turns: list[PageTurn] = st.session_state[Keys.TURNS]
    history = [Turn(t.question, t.answer.to_json(), t.standalone) for t in turns if t.answer is not None]
    started = time.perf_counter()
    try:
        answer, reading = answer_followup(page.engine, question, history)
    except Exception as exc:  # noqa: BLE001 - a failing question must not take the page down
        return PageTurn(question, question,
                        error=f"回答这个问题时出错：{exc.__class__.__name__}: {exc}。请换个问法再试。")
    turn = PageTurn(question, reading.standalone, answer, time.perf_counter() - started)
    if page.store is not None:
        conversation = st.session_state.get(Keys.CONVERSATION)
        if not conversation:
            conversation = page.store.create(page.owner, question)
            st.session_state[Keys.CONVERSATION] = conversation
            st.session_state[Keys.LOADED] = conversation
            st.query_params[Query.CONVERSATION] = conversation
        turn.position = page.store.add_turn(conversation, question, answer.to_json(), reading.standalone, turn.seconds)
    return turn


@st.fragment
def render_chat(page: Page) -> None:
    """The conversation: a fragment, so asking a question or giving feedback reruns only this part.

    A question's run draws the chat and nothing else: no browse tab, download or sidebar (issue 11: with 20
    sessions on one 2-core server every millisecond of a question's run is multiplied by the queue).
    """
    turns: list[PageTurn] = st.session_state[Keys.TURNS]
    box = st.container()
    prompt = st.chat_input("输入问题，可以追问，例如：那它的目标是多少？", key=Keys.CHAT)
    question = prompt if isinstance(prompt, str) and prompt.strip() else st.session_state.pop(Keys.PENDING, None)
    with box:
        if not turns and not question:
            st.markdown("**可以这样问：**")
            cols = st.columns(2)
            for i, example in enumerate(EXAMPLES):
                cols[i % 2].button(example, key=f"example-{i}", on_click=set_pending, args=(example,), width="stretch")
        for i, turn in enumerate(turns):
            render_turn(page, turn, i)
        if question:
            with st.chat_message("user"):
                st.markdown(md_escape(question))
            with st.chat_message("assistant"):
                with st.spinner("正在查找规划和法律原文…"):
                    turn = ask_turn(page, question)
                turns.append(turn)
                render_answer(page, turn, turn_key(turn, len(turns) - 1))
        # no st.rerun(scope="app") for a new conversation: a question costs its fragment only (issue 11); the
        # URL already names the conversation and the sidebar lists it at the next full run


def render_turn(page: Page, turn: PageTurn, index: int) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(turn.question))
    with st.chat_message("assistant"):
        render_answer(page, turn, turn_key(turn, index))


# ------------------------------------------------------------------------------ browse tabs (cached on the corpus)


def csv_bytes(frame) -> bytes:
    """UTF-8 with BOM, so Excel opens the Chinese text correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


@st.cache_resource(show_spinner=False, max_entries=64)
def table_files(fingerprint: str, name: str, bureau: str | None, _facts) -> dict:
    """A browse table's rows and frame, once per corpus version and shared by every session (read-only).

    A resource, not ``cache_data``: that would unpickle a copy of the frame on every run. The CSV/.xlsx/.docx
    files are made when an official clicks (``table_file``), never on a run.
    """
    import pandas as pd

    from assistant import tables

    if name == "responsibilities":
        rows, columns, title = tables.responsibility_rows(_facts, bureau), tables.RESPONSIBILITY_COLUMNS, "责任分工"
    elif name == "targets":
        rows, columns, title = tables.target_rows(_facts), tables.TARGET_COLUMNS, "指标目标"
    elif name == "text_targets":
        rows, columns, title = tables.text_target_rows(_facts), tables.TEXT_TARGET_COLUMNS, "正文中的目标"
    else:
        rows, columns, title = tables.deadline_rows(_facts), tables.DEADLINE_COLUMNS, "时限"
    frame = pd.DataFrame(rows, columns=columns)
    return {"frame": frame, "rows": rows, "columns": columns, "title": title}


def table_file(kind: str, files: dict):
    """A callable that makes a browse table's .csv/.xlsx/.docx when the official clicks (never on a run)."""
    from assistant.exports import table_docx, table_xlsx

    makers = {"csv": lambda: csv_bytes(files["frame"]),
              "xlsx": lambda: table_xlsx(files["rows"], files["title"], files["columns"]),
              "docx": lambda: table_docx(files["rows"], files["title"], files["columns"])}
    return makers[kind]


def table_downloads(files: dict, key: str, name: str) -> None:
    from assistant.exports import DOCX_MIME, XLSX_MIME

    cols = st.columns(3)
    cols[0].download_button("下载 CSV", table_file("csv", files), file_name=f"{name}.csv", mime="text/csv",
                            key=f"{key}-csv", on_click="ignore")
    cols[1].download_button("下载 Excel（.xlsx）", table_file("xlsx", files), file_name=f"{name}.xlsx", mime=XLSX_MIME,
                            key=f"{key}-xlsx", on_click="ignore")
    cols[2].download_button("下载 Word（.docx）", table_file("docx", files), file_name=f"{name}.docx", mime=DOCX_MIME,
                            key=f"{key}-docx", on_click="ignore")


def render_responsibilities(corpus) -> None:
    facts = corpus.facts
    bureaux = [b.canonical for b in facts.directory.bureaux]
    choice = st.selectbox("部门", [ALL, *bureaux], key=Keys.RESP_BUREAU)
    files = table_files(corpus.fingerprint, "responsibilities", None if choice == ALL else choice, facts)
    st.caption(md_escape(f"{len(files['frame'])} 条（每个任务段落一行；跨多段的任务，责任注释写在最后一段）"))
    st.dataframe(files["frame"], hide_index=True)
    table_downloads(files, "resp", "责任分工" + ("" if choice == ALL else f"-{choice}"))


@st.cache_resource(show_spinner=False, max_entries=8)
def legal_bases_rows(fingerprint: str, _engine) -> list[dict]:
    """The plan's paragraphs that cite or rely on a repealed law, once per corpus version (shared, read-only)."""
    from assistant.currency import legal_bases

    rows = []
    for b in legal_bases(_engine.corpus, _engine.correspondences):
        rows.append({"规划段落": b.clause_id, "法律": b.law, "方式": "《》引用" if b.how == "cites" else "提及",
                     "废止": f"自{b.repealed_from}起被《{b.repealed_by}》废止（{b.repeal_clause_id}）",
                     "原条文": "、".join(b.old_articles),
                     "现行法典条文": "、".join(f"{c.code_article}{'' if c.certain else '（可能）'}" for c in b.now),
                     "规划原句": b.sentence})
    return rows


def render_legal_bases(engine) -> None:
    """Issue 10: which of the plan's legal bases changed with the 生态环境法典, and what governs now."""
    st.subheader("规划引用的已废止法律")
    rows = legal_bases_rows(engine.corpus.fingerprint, engine)
    if not rows:
        st.caption("规划引用的法律均未废止。")
        return
    st.caption(md_escape(f"共 {len(rows)} 处。命令行：python -m assistant legal-bases；"
                         "“可能”表示对应关系低于校准的置信度，请对照原文。"))
    st.dataframe(rows, hide_index=True)


def render_targets(corpus) -> None:
    facts = corpus.facts
    st.subheader("指标表（2025 年）")
    files = table_files(corpus.fingerprint, "targets", None, facts)
    frame = files["frame"].rename(columns={"目标": "2025年目标"}).drop(columns=["目标年份"])
    st.dataframe(frame, hide_index=True)
    table_downloads(files, "targets", "指标表")
    if facts.footnotes:
        st.markdown("**表注**")
        for f in facts.footnotes:
            st.markdown(md_escape(f"注{f.number}：{f.text}（{f.clause_id}）")
                        + ("" if f.in_table else " **指标表中没有这一行**"))
    st.subheader("正文中的目标")
    st.dataframe(table_files(corpus.fingerprint, "text_targets", None, facts)["frame"], hide_index=True)
    st.subheader("时限")
    deadlines = table_files(corpus.fingerprint, "deadlines", None, facts)
    st.dataframe(deadlines["frame"], hide_index=True)
    table_downloads(deadlines, "deadlines", "时限")


@st.cache_resource(show_spinner=False, max_entries=8)
def cited_frame(fingerprint: str, _facts):
    """The 引用文件 table, once per corpus version (shared, read-only)."""
    import pandas as pd

    kinds = {"law": "法律", "regulation": "法规", "standard": "标准", "document": "文件"}
    return pd.DataFrame([{"文件": d.title, "类型": kinds.get(d.kind, d.kind), "引用条款": "、".join(d.cited_in),
                          "已收录": "✓" if d.in_corpus else "✗", "语料来源": d.corpus_source or "", "说明": d.note}
                         for d in _facts.cited_docs])


def render_cited(corpus) -> None:
    docs = corpus.facts.cited_docs
    st.caption(md_escape(f"规划引用 {len(docs)} 份文件，其中 {sum(d.in_corpus for d in docs)} 份的原文在语料中。"
                         "其余可在侧栏“添加文件”中补充。"))
    st.dataframe(cited_frame(corpus.fingerprint, corpus.facts), hide_index=True)


def _search_key(clause) -> str:
    from assistant.clauses import squash

    return squash(f"{clause.clause_id}\x1f{clause.title}\x1f{clause.text}").lower()


def render_clauses(corpus, repairs) -> None:
    sources = [ALL, *corpus.counts().keys()]
    if st.session_state.get(Keys.CLAUSE_SOURCE) not in sources:
        st.session_state[Keys.CLAUSE_SOURCE] = ALL
    cols = st.columns([3, 2])
    needle = cols[0].text_input("搜索条款（编号、标题或正文）", key=Keys.CLAUSE_SEARCH, placeholder="例如：plan-055、重点监管单位")
    source = cols[1].selectbox("来源", sources, key=Keys.CLAUSE_SOURCE)
    matches = search_clauses(corpus, needle, source)
    st.caption(md_escape(f"{len(matches)} 条"))
    if not matches:
        st.info("没有符合条件的条款。")
        return
    pages = (len(matches) + CLAUSES_PER_PAGE - 1) // CLAUSES_PER_PAGE
    page = 1
    if pages > 1:
        if not 1 <= (st.session_state.get(Keys.CLAUSE_PAGE) or 1) <= pages:
            st.session_state[Keys.CLAUSE_PAGE] = 1
        page = int(st.number_input(f"页（共 {pages} 页，每页 {CLAUSES_PER_PAGE} 条）", min_value=1, max_value=pages,
                                   step=1, key=Keys.CLAUSE_PAGE) or 1)
    heading = None
    for clause in matches[(page - 1) * CLAUSES_PER_PAGE: page * CLAUSES_PER_PAGE]:
        group = f"{clause.source} · {clause.section}" if clause.section else clause.source
        if group != heading:
            heading = group
            st.markdown(f"**{md_escape(group)}**")
        name = clause.article or clause.title or ""
        head = (f'<span class="clause-head" id="{anchor_id(clause.clause_id)}"><b>{esc(clause.clause_id)}</b>'
                + (f" · {esc(name)}" if name and name != clause.text else "") + "</span>")
        st.markdown(html_block(head + "<br>" + f'<span class="clause-text">{highlighted(clause.text, "", repairs)}</span>',
                               "clause"), unsafe_allow_html=True)


def apply_clause_param() -> str | None:
    """``?clause=plan-055`` (the citation cards' link) opens the 条款 tab on that clause."""
    wanted = st.query_params.get(Query.CLAUSE)
    if wanted and st.session_state.get(Keys.CLAUSE_PARAM) != wanted:
        st.session_state[Keys.CLAUSE_PARAM] = wanted
        st.session_state[Keys.CLAUSE_SEARCH] = wanted
        st.session_state[Keys.CLAUSE_SOURCE] = ALL
        st.session_state[Keys.CLAUSE_PAGE] = 1
    return wanted or None


# ------------------------------------------------------- issue 13: retrieval without dense vectors


BM25_ONLY_NOTICE = ("仅关键词检索（BM25）：本机未启用语义向量检索。回答仍逐条引用原文，"
                    "但用词与原文差别较大的问题（例如英文提问）可能找不到答案。")


def render_bm25_only_notice(engine, notices: list[str]) -> None:
    """Said plainly above the chat when the index has no dense store (switched off or unavailable)."""
    if engine.index.collection is not None:
        return
    reasons = [m for m in notices if "BM25" in m]
    st.warning(md_escape(BM25_ONLY_NOTICE + (f"原因：{reasons[0]}" if reasons else "")), icon="ℹ️")



def export_corrections(store, corpus) -> tuple[bytes, str]:
    """The corrections as golden questions (tests/regression lines) and the export's summary."""
    from assistant.feedback import export_feedback

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "feedback.jsonl"
        report = export_feedback(store, corpus, out)
        return out.read_bytes(), report.summary()


@st.cache_resource(show_spinner=False, max_entries=16)
def export_summary(fingerprint: str, database: str, newest: int, count: int, _store, _corpus) -> str:
    """The export's summary for the admin tab, recomputed only when feedback arrives or the corpus changes."""
    return export_corrections(_store, _corpus)[1]


def feedback_file(store, corpus):
    """A callable that exports the corrections when the official clicks (never on a run)."""
    return lambda: export_corrections(store, corpus)[0]


def render_feedback_admin(page: Page) -> None:
    """Every piece of feedback, newest first, and the corrections as golden questions for the suite."""
    import pandas as pd

    from assistant.history import REASONS

    if page.store is None:
        st.info("对话记录数据库不可用，无法查看反馈。")
        return
    records = page.store.feedback(limit=500)
    st.caption(md_escape(f"共 {len(records)} 条反馈（👎 {sum(r.verdict == 'down' for r in records)} 条）。"
                         "更正可导出为黄金问题（tests/regression 格式），加入回归测试。"))
    if not records:
        st.caption("还没有反馈。")
        return
    frame = pd.DataFrame([{"编号": r.id, "时间": f"{r.created_at:%Y-%m-%d %H:%M}", "评价": "👍" if r.verdict == "up" else "👎",
                           "问题": r.question, "理解为": r.standalone if r.standalone != r.question else "",
                           "哪里不对": REASONS.get(r.reason, r.reason), "正确条款": r.clause_id or "",
                           "原话": r.quote, "答案要点": r.expected, "说明": r.comment,
                           "原回答引用": "、".join(c["clause_id"] for c in r.answer.get("citations", [])[:5])}
                          for r in records])
    st.dataframe(frame, hide_index=True)
    st.caption(md_escape(export_summary(page.corpus.fingerprint, page.store.url, records[0].id, len(records),
                                        page.store, page.corpus)))
    st.download_button("导出更正为黄金问题（.jsonl）", feedback_file(page.store, page.corpus),
                       file_name="feedback_gold.jsonl", mime="application/jsonl", key="feedback-export", on_click="ignore")


# ------------------------------------------------------------------------------ main


def main() -> None:
    st.set_page_config(page_title="规划问答助手", page_icon="📘", layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(APP_TITLE)
    settings = current_settings()
    engine, notices = get_engine(settings)
    store = get_store(settings)
    owner, wanted = identity(store)
    load_conversation(store, engine, wanted)
    page = Page(engine, store, editorial_repairs(str(settings.corpus_dir)), settings, owner)
    st.session_state[Keys.PAGE_RUNS] = st.session_state.get(Keys.PAGE_RUNS, 0) + 1
    render_bm25_only_notice(engine, notices)
    clause_wanted = apply_clause_param()
    tabs = st.tabs(TABS, default="条款" if clause_wanted else None)
    with tabs[0]:
        st.caption("每个回答都引用规划或法律原文（黄色为引文）；找不到时会明确说明，不会编造。可以直接追问。")
        render_chat(page)
    with tabs[1]:
        render_responsibilities(engine.corpus)
    with tabs[2]:
        render_targets(engine.corpus)
    with tabs[3]:
        render_cited(engine.corpus)
    with tabs[4]:
        render_clauses(engine.corpus, page.repairs)
    with tabs[5]:
        render_feedback_admin(page)
    with tabs[6]:
        render_legal_bases(engine)
    # after the chat, so a full run that starts a conversation lists it (where the sidebar shows does not depend
    # on when it is drawn)
    render_sidebar(engine, notices, settings, store, owner)
    settle_heap(settings)


if __name__ == "__main__":
    main()
