"""The app in a real browser: `streamlit run app.py` driven by headless Chromium (Selenium).

Uses the index built once per session by ``built_settings`` (tests/conftest.py). Prints the
cold start (server launch to first answer on screen) and the warm answer time (Enter to answer).
Needs selenium (test extra) and Debian's chromium + chromium-driver; skipped only when
Chromium itself is missing.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _helpers():
    """scripts/screenshots.py holds the server and browser plumbing; both use it."""
    spec = importlib.util.spec_from_file_location("app_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shots():
    helpers = _helpers()
    browser, driver = helpers.chromium_paths()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver); browser test skipped")
    assert driver is not None, "chromedriver is missing: apt-get install chromium-driver"
    try:
        import selenium  # noqa: F401
    except ImportError:  # pragma: no cover - a missing test dependency is an error, not a skip
        pytest.fail("selenium is not installed: pip install -e '.[test]' (or pip install selenium)")
    return helpers


def test_question_in_the_browser_shows_the_cited_answer(built_settings, shots, capsys, tmp_path):
    env = {"ASSISTANT_INDEX_DIR": str(built_settings.index_dir), "ASSISTANT_ADDED_DIR": str(built_settings.added_dir)}
    port = shots.free_port()
    log_path = tmp_path / "streamlit.log"
    started = time.perf_counter()
    with open(log_path, "wb") as log, tempfile.TemporaryDirectory() as profile:
        app = shots.start_app(port, env=env, log=log)
        driver = None
        try:
            shots.wait_healthy(port, app, timeout=180)
            serving = time.perf_counter() - started
            driver = shots.make_driver(profile)
            driver.set_window_size(1400, 1600)
            driver.get(f"http://127.0.0.1:{port}/")

            # cold: server launch -> first answer on screen (engine load included)
            shots.ask(driver, "农村黑臭水体整治由哪个部门牵头？", expect="plan-101", timeout=600)
            cold = time.perf_counter() - started
            from selenium.webdriver.common.by import By

            messages = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')
            answer = messages[-1].text
            assert "州生态环境局牵头" in answer and "plan-101" in answer
            assert "持续开展排查整治农村黑臭水体污染" in answer  # the cited clause's text in its card
            marks = messages[-1].find_elements(By.TAG_NAME, "mark")
            assert marks and "持续开展排查整治农村黑臭水体污染" in marks[0].text  # the quote is highlighted
            links = [a.get_attribute("href") for a in messages[-1].find_elements(By.TAG_NAME, "a")]
            assert any("clause=plan-101" in (href or "") for href in links)

            # warm: Enter -> answer, engine already loaded
            warm = shots.ask(driver, "畜禽粪污综合利用率指标表里2025年目标是多少？", expect="plan-051", timeout=300)
            answer = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')[-1].text
            assert "≥80%" in answer

            # a question with HTML and Markdown is shown as typed, not rendered
            question = "<b>粗体</b> **bold** 哪个部门牵头农村生活污水治理？"
            shots.ask(driver, question, expect="牵头", timeout=300)
            messages = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')
            assert question in messages[-2].text
            assert not messages[-2].find_elements(By.TAG_NAME, "b")
            assert not messages[-2].find_elements(By.TAG_NAME, "strong")

            # the first two answers are still there, with their citations
            assert len(messages) == 6 and "plan-101" in messages[1].text and "plan-051" in messages[3].text

            # issue 11: a follow-up is read against the conversation, and says how it was read
            shots.ask(driver, "它的目标是多少？", expect="30%左右", timeout=300)
            shots.wait_for(driver, lambda d: "毫秒" in d.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')[-1].text,
                           60, "the answer's footer")
            messages = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')
            assert "理解为：农村生活污水治理率" in messages[-1].text
            assert "毫秒" in messages[-1].text and "0.00 秒" not in messages[-1].text
            # every answer offers its exports and 👍/👎
            labels = [b.text for b in messages[-1].find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')]
            assert any("Excel" in x for x in labels) and any("Word" in x for x in labels), labels
            assert "Deploy" not in driver.find_element(By.TAG_NAME, "body").text  # no Deploy menu

            # a reload restores the conversation from the URL
            assert "c=" in driver.current_url
            driver.refresh()
            shots.wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')) == 8,
                           300, "the restored conversation")
            messages = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')
            assert "plan-101" in messages[1].text and "理解为" in messages[-1].text

            # 👎 asks what was wrong and which clause is right
            thumbs = shots.wait_for(driver, lambda d: len(found := d.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')[-1]
                                    .find_elements(By.CSS_SELECTOR, '[data-testid="stFeedbackButton"]')) >= 2 and found,
                                    60, "thumbs up/down under the answer")
            thumbs[-1].click()
            shots.wait_for(driver, lambda d: "正确的条款" in d.find_elements(
                By.CSS_SELECTOR, '[data-testid="stChatMessage"]')[-1].text, 60, "the feedback form")
        except Exception:
            log.flush()
            print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
            raise
        finally:
            if driver is not None:
                driver.quit()
            shots.stop_app(app)
    with capsys.disabled():
        print(f"\n[browser] server healthy after {serving:.1f}s; cold start to first answer {cold:.1f}s; "
              f"warm answer (Enter -> answer on screen) {warm:.2f}s")
