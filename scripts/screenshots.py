"""Screenshots of the app: the chat after one question, then each browse tab, as PNGs.

    python scripts/screenshots.py [--out docs/screenshots] [--question 农村黑臭水体整治由哪个部门牵头？]

Starts ``streamlit run app.py`` on a free local port (with the environment as it is, so
ASSISTANT_INDEX_DIR etc. apply), drives headless Chromium through Selenium with Debian's
chromedriver, and writes chat.png, 责任分工.png, 指标目标.png, 引用文件.png, 条款.png.
Needs: ``pip install selenium`` and ``apt-get install chromium chromium-driver``, plus a Chinese
font or every character is a box: ``apt-get install fonts-wqy-microhei`` (or fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1600", "--lang=zh-CN"]
TAB_FILES = {"责任分工": "responsibilities.png", "指标目标": "targets.png", "引用文件": "cited.png", "条款": "clauses.png"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, env: dict | None = None, log=None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


def stop_app(process: subprocess.Popen, timeout: float = 30) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on port {port} within {timeout}s")


def chromium_paths() -> tuple[str | None, str | None]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    return browser, driver


def make_driver(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = chromium_paths()
    if not browser or not driver:
        raise RuntimeError("chromium and chromedriver are needed: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in [*CHROME_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def wait_for(driver, condition, timeout: float, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition, message=f"timed out waiting for {what}")


def chat_box(driver):
    from selenium.webdriver.common.by import By

    boxes = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatInputTextArea"]')
    return boxes[0] if boxes and boxes[0].is_displayed() else False


def ask(driver, question: str, expect: str, timeout: float = 300) -> float:
    """Type a question, press Enter, wait until ``expect`` shows in the last answer; seconds taken."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]'))
    box = wait_for(driver, chat_box, timeout, "the chat input")
    box.click()
    box.send_keys(question)
    started = time.perf_counter()
    box.send_keys(Keys.ENTER)

    def answered(d):
        messages = d.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')
        return len(messages) >= before + 2 and expect in messages[-1].text

    wait_for(driver, answered, timeout, f"an answer containing {expect!r}")
    return time.perf_counter() - started


def open_tab(driver, label: str) -> None:
    from selenium.webdriver.common.by import By

    tab = next(t for t in driver.find_elements(By.CSS_SELECTOR, '[role="tab"]') if label in t.text)
    tab.click()
    wait_for(driver, lambda d: tab.get_attribute("aria-selected") == "true", 30, f"tab {label}")
    time.sleep(1.0)  # let the data grid paint


def full_page_png(driver, path: Path) -> None:
    """Grow the window to the page's height so the PNG shows all of it (up to a limit)."""
    height = driver.execute_script(
        "const m = document.querySelector('section.main, [data-testid=\"stMain\"]');"
        "return Math.max(document.body.scrollHeight, m ? m.scrollHeight : 0);")
    driver.set_window_size(1400, min(max(int(height) + 200, 900), 4000))
    time.sleep(0.5)
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1600)


def has_chinese_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # cannot tell; do not nag
    return bool(found.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--question", default="农村黑臭水体整治由哪个部门牵头？")
    parser.add_argument("--expect", default="plan-101", help="text the answer must contain")
    args = parser.parse_args()
    if not has_chinese_font():
        print("warning: no Chinese font installed, the PNGs will show boxes; apt-get install fonts-wqy-microhei",
              file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryFile() as log:
        app = start_app(port, log=log)
        driver = None
        try:
            wait_healthy(port, app)
            driver = make_driver(profile)
            driver.set_window_size(1400, 1600)
            driver.get(f"http://127.0.0.1:{port}/")
            seconds = ask(driver, args.question, args.expect)
            print(f"answered in {seconds:.2f}s")
            full_page_png(driver, out / "chat.png")
            for label, name in TAB_FILES.items():
                open_tab(driver, label)
                full_page_png(driver, out / name)
            print(f"wrote {', '.join(['chat.png', *TAB_FILES.values()])} to {out}")
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode("utf-8", "replace")[-4000:])
            raise
        finally:
            if driver is not None:
                driver.quit()
            stop_app(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
