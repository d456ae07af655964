"""End-to-end UI tests in headless Chromium (Debian chromium + chromium-driver, installed by .ci/run)."""
import json
import os
import shutil
import socket
import threading
import time

import pytest
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.store import Store
from claimscope.web import create_app

from .conftest import FIXTURES, skip_unless
from .test_spread import CORPUS as SPREAD_CORPUS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = skip_unless(bool(CHROMIUM and CHROMEDRIVER), "needs Debian chromium and chromium-driver (.ci/run installs them)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    folder = tmp_path_factory.mktemp("ui")
    db = folder / "ui.sqlite"
    (folder / "hostile.txt").write_text('<script>document.title="pwned"</script> Putin said that Russia would respond.\nThe end.')
    (folder / "spread.jsonl").write_text("".join(json.dumps(row) + "\n" for row in SPREAD_CORPUS), encoding="utf-8")
    CliRunner().invoke(app, ["ingest", str(FIXTURES / "belarus-iskander.txt"), str(folder / "hostile.txt"), str(folder / "spread.jsonl"), "--db", str(db)])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(Store(str(db))), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1200,900")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)  # find_element waits for the page a click opened
    yield driver
    driver.quit()


def screenshot(browser, name: str) -> None:
    """With CLAIMSCOPE_SCREENSHOTS=docs/images, keep the page as the documentation's picture of it."""
    folder = os.environ.get("CLAIMSCOPE_SCREENSHOTS")
    if folder:
        browser.save_screenshot(os.path.join(folder, f"{name}.png"))


def test_article_page_highlights_claims_and_techniques(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "td a") if "Iskander" in a.text)
    link.click()
    assert "Verdict:" in browser.find_element(By.CLASS_NAME, "verdict").text
    contents = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "span.content")]
    assert any("Polonaise" in text for text in contents)
    techniques = browser.find_elements(By.CSS_SELECTOR, ".article span.technique")
    assert any(e.text == "dictator" and "Name_Calling" in e.get_attribute("title") for e in techniques)


def test_ledger_filter(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server + "/claims")
    before = len(browser.find_elements(By.CSS_SELECTOR, "tr.claim"))
    Select(browser.find_element(By.ID, "speaker")).select_by_visible_text("Vladimir Putin")
    old_page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "apply").click()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(old_page))  # the filtered page has loaded
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.claim")
    assert 0 < len(rows) < before
    assert all("Vladimir Putin" in row.text for row in rows)
    browser.get(server + "/claims")
    screenshot(browser, "ledger")


def test_article_text_never_runs_script(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    next(a for a in browser.find_elements(By.CSS_SELECTOR, "td a") if "hostile" in a.text).click()
    assert browser.title != "pwned"
    assert "<script>" in browser.find_element(By.CLASS_NAME, "article").text


def test_narrative_page_of_a_laundered_claim(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server + "/clusters")
    everything = len(browser.find_elements(By.CSS_SELECTOR, "table tr")) - 1
    Select(browser.find_element(By.NAME, "laundered")).select_by_value("yes")
    old_page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(old_page))
    rows = browser.find_elements(By.CSS_SELECTOR, "table tr")[1:]
    assert 0 < len(rows) < everything and all("laundered" in row.text for row in rows)
    rows[0].find_element(By.CSS_SELECTOR, "td a").click()
    assert "Laundered:" in browser.find_element(By.TAG_NAME, "p").text
    assert browser.find_elements(By.CSS_SELECTOR, "svg circle")
    presentations = [row.find_elements(By.TAG_NAME, "td")[3].text for row in browser.find_elements(By.CSS_SELECTOR, "tr.member")]
    assert presentations[0] == "attributed" and "outlet voice" in presentations
    screenshot(browser, "narrative")
