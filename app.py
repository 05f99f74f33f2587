"""The Streamlit app officials use: ask the plan and the laws, browse the facts, add documents.

UI only — rendering and session state. It calls the same functions as the CLI
(``AnswerEngine.open`` / ``ask``, ``add_file``, ``refresh_index``). Run it with::

    python -m streamlit run app.py

Everything taken from a source file or typed by a user is shown as text: it is HTML- and
Markdown-escaped by ``esc`` before it goes into ``st.markdown(..., unsafe_allow_html=True)``,
and the only tags in that HTML are the app's own (``<div>``, ``<mark>``, ``<a>``, ``<br>``).
Importing this module (rather than running it) only defines the helpers, so tests can call them.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from assistant.config import Settings

APP_TITLE = "昌吉州土壤、地下水和农村生态环境保护“十四五”规划 · 问答助手"
TABS = ["问答", "责任分工", "指标目标", "引用文件", "条款"]
EXAMPLES = [
    "哪个部门牵头农村生活污水治理？",
    "农村生活污水治理率2025年的目标是多少？",
    "土壤污染防治法第二十一条规定了什么？",
    "州工信局牵头哪些任务？",
]
RELATED_HEADING = "可能相关（不是引文）"
ALL = "全部"
CLAUSES_PER_PAGE = 40
STAGES = {"bm25": "建立关键词索引", "embed": "向量化条款"}

# ------------------------------------------------------------------------ escaping helpers

# One pass, character by character: HTML specials become entities, and so does every character
# Markdown (or Streamlit's extensions: :emoji:, :red[...], $math$) could give a meaning to.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ENTITIES.update({ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}#|~$:!^="})
_MD_PUNCT = re.compile(r"([\\`*_\[\]{}()#+\-.!|~$:<>&^=\"'])")


def esc(text: object) -> str:
    """``text`` as inert HTML: every special character an entity, line breaks as <br>."""
    out = "".join(_ENTITIES.get(ch, ch) for ch in str(text))
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def md_escape(text: object) -> str:
    """``text`` for a Markdown-only element (st.warning, st.error): punctuation backslash-escaped."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return "  \n".join(_MD_PUNCT.sub(r"\\\1", line) for line in lines)


def html_block(inner: str, cls: str = "") -> str:
    """One HTML block on one line, so Markdown never parses what is inside it."""
    return f'<div class="{cls}">{inner}</div>' if cls else f"<div>{inner}</div>"


def highlighted(text: str, quote_text: str) -> str:
    """The full clause text, escaped, with the quoted span inside <mark>."""
    start = text.find(quote_text) if quote_text else -1
    if start < 0:
        return esc(text)
    end = start + len(quote_text)
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


def with_markers(answer_text: str) -> str:
    """The answer text, escaped, its [n] citation markers set in bold."""
    return re.sub(r"&#91;(\d+)&#93;", r"<b>&#91;\1&#93;</b>", esc(answer_text))


def anchor_id(clause_id: str) -> str:
    return "clause-" + re.sub(r"[^\w-]", "-", clause_id)


def clause_link(clause_id: str, label: str = "在条款中查看 ↗") -> str:
    """A link that opens the 条款 tab on this clause (in a new browser tab, so the chat stays)."""
    return f'<a href="?clause={quote(clause_id, safe="")}" target="_blank">{esc(label)}</a>'


def where(item: dict) -> str:
    """Article number for a law or document article, else the section path."""
    return item.get("article") or item.get("section") or ""


def citation_heading(c: dict) -> str:
    parts = [f"[{c['n']}] {c['clause_id']}", c["source"], where(c)]
    return " · ".join(p for p in parts if p)


def answer_as_text(data: dict) -> str:
    """The answer with its citations as plain text (what the download button gives)."""
    lines = [f"问题：{data.get('question', '')}", "", data["answer"], ""]
    for c in data.get("citations", []):
        role = f"（{c['role']}）" if c.get("role") and c["role"] != "依据" else ""
        lines.append(f"[{c['n']}] {c['clause_id']} · {c['label']}{role}")
        lines.append(f"    引文：“{c['quote']}”")
        if c.get("notice"):
            lines.append(f"    注意：{c['notice']}")
        lines.append("    条款全文：" + c["text"].replace("\n", "\n    "))
        lines.append("")
    if data.get("related"):
        lines.append(f"{RELATED_HEADING}：")
        lines += [f"  - {r['clause_id']} · {r['label']}：{r['text'][:80]}…" for r in data["related"]]
    return "\n".join(lines).rstrip() + "\n"


CSS = """
<style>
.cite-head {font-weight: 600;}
.cite-head a, .clause-head a {font-weight: 400; margin-left: .6em; font-size: .9em;}
.clause-text {white-space: normal; line-height: 1.7;}
.clause-text mark {background: #fff1a8; padding: 0 .1em;}
.answer-text {line-height: 1.8;}
.user-text {line-height: 1.7;}
.related-text {color: #555; font-size: .92em;}
.corpus-counts ul {padding-left: 1.1em; margin-bottom: .3em;}
.corpus-counts li {margin-bottom: .15em; line-height: 1.45;}
.corpus-counts .status {color: #8a5a00; font-size: .85em;}
</style>
"""


# ------------------------------------------------------------------------------ engine


class StartupUI:
    """Placeholders for the notices and progress bar shown while the index is opened or built."""

    def __init__(self):
        self.box = st.container()
        self.info_slot = self.box.empty()
        self.bar_slot = self.box.empty()

    def notice(self, message: str) -> None:
        self.info_slot.info(md_escape(message))

    def progress(self, stage: str, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 0.0
        self.bar_slot.progress(share, text=f"{STAGES.get(stage, stage)}：{done}/{total}")

    def clear(self) -> None:
        self.info_slot.empty()
        self.bar_slot.empty()


@st.cache_resource(show_spinner="正在加载模型、索引和规划事实…")
def load_engine(settings_key: str, _settings: Settings):
    """The AnswerEngine for these settings, once per process; builds the index if it is missing.

    The notice and progress placeholders are made in here, and emptied before returning:
    a cache hit replays this function's elements, which must therefore live (and end) inside it.
    """
    from assistant.answer import AnswerEngine

    ui = StartupUI()
    notices: list[str] = []

    def notice(message: str) -> None:
        notices.append(message)
        ui.notice(message)

    try:
        engine = AnswerEngine.open(_settings, notice=notice, progress=ui.progress)
    finally:
        ui.clear()
    return engine, notices


def current_settings() -> Settings:
    return Settings.from_env()


def get_engine(settings: Settings):
    try:
        return load_engine(repr(settings), settings)
    except Exception as exc:  # noqa: BLE001 - any start-up failure is shown, never a traceback
        st.error(md_escape(f"无法启动问答助手：{exc}"))
        st.stop()


# ----------------------------------------------------------------------------- sidebar


def law_status(corpus, source: str) -> str:
    """已废止（被《生态环境法典》废止，自2026-08-15起）, 现行有效, or 已添加的文件."""
    from assistant.clauses import short_law_name

    law = corpus.law(source)
    if law is None:
        return "已添加的文件" if any(d.title == source for d in corpus.documents) else ""
    if law.repealed_by:
        return f"{law.status}（被《{short_law_name(law.repealed_by)}》废止，自{law.repealed_from}起）"
    return law.status


def render_sidebar(engine, notices: list[str], settings: Settings) -> None:
    from assistant.clauses import short_law_name

    corpus = engine.corpus
    manifest = engine.index.manifest
    with st.sidebar:
        st.header("语料")
        lines = []
        for source, n in corpus.counts().items():
            status = law_status(corpus, source)
            lines.append(f'<li title="{esc(source)}"><b>{esc(short_law_name(source))}</b>　{n} 条'
                         + (f'<br><span class="status">{esc(status)}</span>' if status else "") + "</li>")
        st.markdown(html_block(f"<ul>{''.join(lines)}</ul>", "corpus-counts"), unsafe_allow_html=True)
        st.caption(md_escape(f"共 {len(corpus.clauses)} 条；索引 {manifest.clause_count} 条"))
        st.markdown(html_block(f"嵌入模型：<code>{esc(manifest.model_id or '无（仅关键词检索）')}</code><br>"
                               f"索引构建于：{esc(manifest.built_at)}", "index-info"), unsafe_allow_html=True)
        if notices:
            with st.expander("启动信息"):
                for message in notices:
                    st.caption(md_escape(message))
        st.divider()
        render_upload(settings)


def render_upload(settings: Settings) -> None:
    st.subheader("添加文件")
    message = st.session_state.pop("upload_message", None)
    if message:
        st.success(md_escape(message))
    gen = st.session_state.setdefault("upload_gen", 0)
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
        load_engine.clear()
        reset_cache()
    warnings = "；".join(result.warnings)
    st.session_state["upload_message"] = result.message + (f"（{warnings}）" if warnings else "")
    st.session_state["upload_gen"] = gen + 1
    st.rerun()


# ------------------------------------------------------------------------------- chat


def render_citation(c: dict) -> None:
    with st.container(border=True):
        head = f'<span class="cite-head">{esc(citation_heading(c))}</span>{clause_link(c["clause_id"])}'
        st.markdown(html_block(head), unsafe_allow_html=True)
        if c.get("role") and c["role"] != "依据":
            st.caption(md_escape(f"角色：{c['role']}"))
        if c.get("notice"):
            st.warning(md_escape(f"注意：{c['notice']}"), icon="⚠️")
        st.markdown(html_block(highlighted(c["text"], c["quote"]), "clause-text"), unsafe_allow_html=True)


def render_related(related: list[dict]) -> None:
    st.markdown(f"##### {RELATED_HEADING}")
    for r in related:
        with st.container(border=True):
            head = f'<span class="cite-head">{esc(" · ".join(p for p in (r["clause_id"], r["source"], where(r)) if p))}</span>'
            text = r["text"] if len(r["text"]) <= 240 else r["text"][:240] + "…"
            st.markdown(html_block(head + clause_link(r["clause_id"]) + "<br>" + f'<span class="related-text">{esc(text)}</span>'),
                        unsafe_allow_html=True)


def render_answer(entry: dict, index: int) -> None:
    if "error" in entry:
        st.error(md_escape(entry["error"]))
        return
    data = entry["answer"]
    if data["abstained"]:
        st.warning(md_escape(data["answer"]))
    else:
        st.markdown(html_block(with_markers(data["answer"]), "answer-text"), unsafe_allow_html=True)
    for c in data.get("citations", []):
        render_citation(c)
    if data.get("related"):
        render_related(data["related"])
    cols = st.columns([3, 2])
    with cols[0]:
        st.download_button("下载回答（含引文）", answer_as_text(data).encode("utf-8"), file_name=f"回答-{index + 1}.txt",
                           mime="text/plain", key=f"download-{index}", on_click="ignore")
    with cols[1]:
        if entry.get("seconds") is not None:
            st.caption(f"用时 {entry['seconds']:.2f} 秒")


def render_exchange(entry: dict, index: int) -> None:
    if entry["role"] == "user":
        with st.chat_message("user"):
            st.markdown(html_block(esc(entry["text"]), "user-text"), unsafe_allow_html=True)
    else:
        with st.chat_message("assistant"):
            render_answer(entry, index)


def ask(engine, question: str) -> dict:
    started = time.perf_counter()
    try:
        answer = engine.ask(question)
    except Exception as exc:  # noqa: BLE001 - a failing question must not take the app down
        return {"role": "assistant", "error": f"回答这个问题时出错：{exc.__class__.__name__}: {exc}。请换个问法再试。"}
    return {"role": "assistant", "answer": answer.to_json(), "seconds": time.perf_counter() - started}


def set_pending(question: str) -> None:
    st.session_state["pending_question"] = question


def render_chat(engine) -> None:
    history: list[dict] = st.session_state.setdefault("history", [])
    box = st.container()
    prompt = st.chat_input("输入问题，例如：哪个部门牵头农村生活污水治理？", key="chat")
    question = prompt if isinstance(prompt, str) and prompt.strip() else st.session_state.pop("pending_question", None)
    with box:
        if not history and not question:
            st.markdown("**可以这样问：**")
            cols = st.columns(2)
            for i, example in enumerate(EXAMPLES):
                cols[i % 2].button(example, key=f"example-{i}", on_click=set_pending, args=(example,),
                                   width="stretch")
        for i, entry in enumerate(history):
            render_exchange(entry, i)
        if question:
            history.append({"role": "user", "text": question})
            render_exchange(history[-1], len(history) - 1)
            with st.chat_message("assistant"):
                with st.spinner("正在查找规划和法律原文…"):
                    entry = ask(engine, question)
                history.append(entry)
                render_answer(entry, len(history) - 1)


# ------------------------------------------------------------------------- browse tabs


def csv_bytes(frame) -> bytes:
    """UTF-8 with BOM, so Excel opens the Chinese text correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def joined(items) -> str:
    return "、".join(items or [])


def render_responsibilities(facts) -> None:
    import pandas as pd

    bureaux = [b.canonical for b in facts.directory.bureaux]
    choice = st.selectbox("部门", [ALL, *bureaux], key="resp-bureau")
    rows = [r for r in facts.responsibilities
            if choice == ALL or choice in r.leads or choice in r.participants or choice in (r.implementers or [])]
    frame = pd.DataFrame([{"条款": r.clause_id, "任务": r.title, "牵头/负责": joined(r.leads), "参与": joined(r.participants),
                           "关系": r.relation, "责任注释原文": r.note, "注释所在条款": r.inherited_from or "",
                           "标记": "；".join(r.flags)} for r in rows],
                         columns=["条款", "任务", "牵头/负责", "参与", "关系", "责任注释原文", "注释所在条款", "标记"])
    st.caption(md_escape(f"{len(rows)} 条（每个任务段落一行；跨多段的任务，责任注释写在最后一段）"))
    st.dataframe(frame, hide_index=True)
    name = "责任分工" + ("" if choice == ALL else f"-{choice}")
    st.download_button("下载 CSV（Excel 可直接打开）", csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv",
                       key="resp-csv", on_click="ignore")


def render_targets(facts) -> None:
    import pandas as pd

    table = [t for t in facts.targets if t.origin == "table"]
    st.subheader("指标表（2025 年）")
    frame = pd.DataFrame([{"类别": t.category or "", "指标": t.indicator, "基期（2020年）": t.baseline or "",
                           f"{t.year or 2025}年目标": t.target, "属性": t.kind or "", "来源": t.source_doc or "",
                           "条款": t.clause_id} for t in table])
    st.dataframe(frame, hide_index=True)
    st.download_button("下载指标表 CSV", csv_bytes(frame), file_name="指标表.csv", mime="text/csv", key="targets-csv",
                       on_click="ignore")
    if facts.footnotes:
        st.markdown("**表注**")
        items = "".join(f"<li>注{f.number}：{esc(f.text)}（{esc(f.clause_id)}）"
                        + ("" if f.in_table else " <b>指标表中没有这一行</b>") + "</li>" for f in facts.footnotes)
        st.markdown(html_block(f"<ul>{items}</ul>", "footnotes"), unsafe_allow_html=True)
    text_targets = [t for t in facts.targets if t.origin != "table"]
    st.subheader("正文中的目标")
    st.dataframe(pd.DataFrame([{"条款": t.clause_id, "年份": t.year, "指标": t.indicator, "目标": t.target,
                                "原文": t.sentence} for t in text_targets]), hide_index=True)
    st.subheader("时限")
    st.dataframe(pd.DataFrame([{"条款": d.clause_id, "时间": d.when, "内容": d.what} for d in facts.deadlines]),
                 hide_index=True)


def render_cited(facts) -> None:
    import pandas as pd

    docs = facts.cited_docs
    st.caption(md_escape(f"规划引用 {len(docs)} 份文件，其中 {sum(d.in_corpus for d in docs)} 份的原文在语料中。"
                         "其余可在侧栏“添加文件”中补充。"))
    kinds = {"law": "法律", "regulation": "法规", "standard": "标准", "document": "文件"}
    frame = pd.DataFrame([{"文件": d.title, "类型": kinds.get(d.kind, d.kind), "引用条款": "、".join(d.cited_in),
                           "已收录": "✓" if d.in_corpus else "✗", "语料来源": d.corpus_source or "", "说明": d.note}
                          for d in docs])
    st.dataframe(frame, hide_index=True)


def _search_key(clause) -> str:
    from assistant.clauses import squash

    return squash(f"{clause.clause_id}\x1f{clause.title}\x1f{clause.text}").lower()


def render_clauses(corpus) -> None:
    from assistant.clauses import squash

    sources = [ALL, *corpus.counts().keys()]
    if st.session_state.get("clause-source") not in sources:
        st.session_state["clause-source"] = ALL
    cols = st.columns([3, 2])
    needle = cols[0].text_input("搜索条款（编号、标题或正文）", key="clause-search", placeholder="例如：plan-055、重点监管单位")
    source = cols[1].selectbox("来源", sources, key="clause-source")
    needle = (needle or "").strip()
    exact = corpus.by_id.get(needle)
    if exact is not None:
        matches = [exact]
    else:
        key = squash(needle).lower()
        matches = [c for c in corpus.clauses if (source == ALL or c.source == source) and (not key or key in _search_key(c))]
    st.caption(md_escape(f"{len(matches)} 条"))
    if not matches:
        st.info("没有符合条件的条款。")
        return
    pages = (len(matches) + CLAUSES_PER_PAGE - 1) // CLAUSES_PER_PAGE
    page = 1
    if pages > 1:
        if not 1 <= (st.session_state.get("clause-page") or 1) <= pages:
            st.session_state["clause-page"] = 1
        page = int(st.number_input(f"页（共 {pages} 页，每页 {CLAUSES_PER_PAGE} 条）", min_value=1, max_value=pages,
                                   step=1, key="clause-page") or 1)
    heading = None
    for clause in matches[(page - 1) * CLAUSES_PER_PAGE: page * CLAUSES_PER_PAGE]:
        group = f"{clause.source} · {clause.section}" if clause.section else clause.source
        if group != heading:
            heading = group
            st.markdown(html_block(f"<b>{esc(group)}</b>", "clause-group"), unsafe_allow_html=True)
        name = clause.article or clause.title or ""
        head = (f'<span class="clause-head" id="{anchor_id(clause.clause_id)}"><b>{esc(clause.clause_id)}</b>'
                + (f" · {esc(name)}" if name and name != clause.text else "") + "</span>")
        st.markdown(html_block(head + "<br>" + f'<span class="clause-text">{esc(clause.text)}</span>', "clause"),
                    unsafe_allow_html=True)


def apply_clause_param() -> str | None:
    """``?clause=plan-055`` (the citation cards' link) opens the 条款 tab on that clause."""
    wanted = st.query_params.get("clause")
    if wanted and st.session_state.get("clause-param") != wanted:
        st.session_state["clause-param"] = wanted
        st.session_state["clause-search"] = wanted
        st.session_state["clause-source"] = ALL
        st.session_state["clause-page"] = 1
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


# --------------------------------------------------------------------------------- main


def main() -> None:
    st.set_page_config(page_title="规划问答助手", page_icon="📘", layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(APP_TITLE)
    settings = current_settings()
    engine, notices = get_engine(settings)
    render_sidebar(engine, notices, settings)
    render_bm25_only_notice(engine, notices)
    wanted = apply_clause_param()
    tabs = st.tabs(TABS, default="条款" if wanted else None)
    facts = engine.corpus.facts
    with tabs[0]:
        st.caption("每个回答都引用规划或法律原文（黄色为引文）；找不到时会明确说明，不会编造。")
        render_chat(engine)
    with tabs[1]:
        render_responsibilities(facts)
    with tabs[2]:
        render_targets(facts)
    with tabs[3]:
        render_cited(facts)
    with tabs[4]:
        render_clauses(engine.corpus)


if __name__ == "__main__":
    main()
