"""The site in a real browser: Debian's chromium, driven through chromium-driver by Selenium.

It types a text, submits, reads the <ruby> readings from the DOM, switches
the system without a reload, picks another reading, and saves screenshots
under var/screenshots/ (CI keeps them as artefacts).  Skipped, with the reason, where chromium or
chromium-driver is not installed; .ci/run installs both.
"""

import pathlib
import re
import shutil
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"),
    pytest.mark.django_db(transaction=True),
]

TEXT = "我行路去銀行。\n台灣"


def start_chromium(javascript=True):
    """Headless Debian chromium through chromium-driver, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="fastpron-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,1000", "--lang=zh-TW"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    prefs = {"intl.accept_languages": "zh-TW,zh"}          # the Accept-Language of a Taiwanese desktop
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.fastpron_profile = profile
    return driver


def stop_chromium(driver):
    driver.quit()
    shutil.rmtree(driver.fastpron_profile, ignore_errors=True)


@pytest.fixture
def browser():
    driver = start_chromium()
    try:
        yield driver
    finally:
        stop_chromium(driver)


@pytest.fixture
def browser_without_javascript():
    driver = start_chromium(javascript=False)
    try:
        yield driver
    finally:
        stop_chromium(driver)


def readings(driver):
    """The <rt> texts, read in one script call: the page's script, or a navigation still under
    way, may replace the article at any time, and a node found before that is gone after it."""
    from selenium.common.exceptions import WebDriverException
    try:
        return driver.execute_script(
            "return Array.from(document.querySelectorAll('#fp-article rt'), rt => rt.textContent)")
    except WebDriverException:      # stale node, or "Node with given id does not belong to the document"
        return []


def wait(driver, condition, message):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, 15).until(lambda d: condition(d), message)


def screenshot(driver, name, width=1280, full=True):
    """Save var/screenshots/<name>: the whole page (`full`) or the first screen, `width` pixels wide."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, max(800, min(height + 40, 4000)))
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    return path


def test_type_submit_switch_and_pick(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from webproject.article_pronunciation.models import Article

    browser.get(live_server.url + "/")
    assert browser.current_url == live_server.url + "/article_pronunciation/input/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "台語文章標音"
    textarea = browser.find_element(By.NAME, "text")
    textarea.send_keys(TEXT)
    counter = browser.find_element(By.CSS_SELECTOR, ".char-count")
    assert counter.text == "10 / 100,000 字"
    screenshot(browser, "01-input.png")
    browser.find_element(By.CSS_SELECTOR, ".input-form button[type=submit]").click()

    # the address bar shows the permalink
    wait(browser, lambda d: re.search(r"/article_pronunciation/pronunciation/[0-9a-f-]{36}/$", d.current_url)
         and readings(d) == ["guá", "kiânn", "lōo", "khì", "gîn", "hâng", "Tâi", "uân"], "no result page")
    bases = browser.execute_script(
        "return Array.from(document.querySelectorAll('#fp-article ruby'), r => r.firstChild.textContent)")
    assert bases == ["我", "行", "路", "去", "銀", "行", "台", "灣"]
    word = browser.find_element(By.CSS_SELECTOR, '#fp-article .fp-word[data-start="1"]')
    assert word.find_elements(By.TAG_NAME, "rt")[1].get_attribute("textContent") == "lōo"

    # switch the system: the article changes in place, the URL follows
    marker = browser.execute_script("window.fpNoReload = true; return 1")
    Select(browser.find_element(By.NAME, "system")).select_by_value("poj")
    wait(browser, lambda d: readings(d)[-1:] == ["oân"], "the system switch did not re-render")
    assert readings(browser) == ["góa", "kiâⁿ", "lō͘", "khì", "gîn", "hâng", "Tâi", "oân"]
    assert browser.execute_script("return window.fpNoReload") is True and marker == 1
    assert "system=poj" in browser.current_url
    # the permalink box and the language switch follow
    assert browser.find_element(By.ID, "permalink").get_attribute("value").endswith(
        "?system=poj&tones=marks&sandhi=none&dialect=usual&layout=right")
    assert browser.find_element(By.CSS_SELECTOR, ".language-switch input[name=next]").get_attribute("value").endswith(
        "?system=poj&tones=marks&sandhi=none&dialect=usual&layout=right")
    assert browser.find_element(By.CSS_SELECTOR, ".meta__system").text == "白話字 Pe̍h-ōe-jī"

    # pick the other reading of 我
    browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="0"]').click()
    picker = browser.find_element(By.ID, "fp-picker")
    wait(browser, lambda d: picker.is_displayed(), "the picker did not open")
    options = picker.find_elements(By.CSS_SELECTOR, ".picker__list button")
    assert [o.find_element(By.CSS_SELECTOR, ".picker__romanized").text for o in options] == ["góa", "ngó͘"]
    assert [o.find_element(By.CSS_SELECTOR, ".picker__reading").text for o in options] == ["góa\n我", "ngó͘"]
    screenshot(browser, "02-picker.png")
    options[1].click()
    wait(browser, lambda d: readings(d)[:1] == ["ngó͘"], "the pick was not shown")
    article = Article.objects.get()
    assert article.picks == {"0": {"word": "我", "reading": "ngoo2"}}
    assert "fp-picked" in browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="0"]').get_attribute("class")

    # the pick stays with the article: the permalink shows it in a fresh page load
    browser.get(live_server.url + article.get_absolute_url())
    assert readings(browser)[0] == "ngóo"
    screenshot(browser, "03-result.png")

    # 方音符號, vertical to the right of each character
    Select(browser.find_element(By.NAME, "system")).select_by_value("tps")
    wait(browser, lambda d: readings(d)[-1:] == ["ㄨㄢˊ"], "no 方音符號")
    rt = browser.find_element(By.CSS_SELECTOR, "#fp-article rt")
    assert rt.value_of_css_property("writing-mode") == "vertical-rl"
    base = browser.find_element(By.CSS_SELECTOR, "#fp-article ruby")
    assert rt.rect["x"] > base.rect["x"] + 10         # right of the character
    screenshot(browser, "04-tps-vertical.png")

    # print: the article alone, no forms, no buttons
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    for selector in (".site-header", ".display-options", ".toolbar", ".running-text", ".site-footer"):
        assert browser.find_element(By.CSS_SELECTOR, selector).value_of_css_property("display") == "none", selector
    assert browser.find_element(By.ID, "fp-article").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # no script error and no Content-Security-Policy violation on the way
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_pages_work_without_javascript(browser_without_javascript, live_server):
    """The same flow with scripts off: plain forms and links."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser_without_javascript
    driver.get(live_server.url + "/article_pronunciation/input/")
    driver.find_element(By.NAME, "text").send_keys(TEXT)
    driver.find_element(By.CSS_SELECTOR, ".input-form button[type=submit]").click()
    wait(driver, lambda d: readings(d)[:2] == ["guá", "kiânn"], "no result page")
    Select(driver.find_element(By.NAME, "system")).select_by_value("tlpa")
    driver.find_element(By.CSS_SELECTOR, ".display-options button[type=submit]").click()
    wait(driver, lambda d: readings(d)[:2] == ["gua2", "kiann5"], "the options form did not apply")
    driver.find_element(By.CSS_SELECTOR, "a[href*='/readings/']").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'input[name="pick-0"]'), "no readings page")
    driver.find_element(By.CSS_SELECTOR, 'input[name="pick-0"][value="1"]').click()
    driver.find_element(By.CSS_SELECTOR, ".readings-form button[type=submit]").click()
    wait(driver, lambda d: readings(d)[:2] == ["ngoo2", "kiann5"], "the pick was not saved")
    assert "已與文章一起儲存" in driver.find_element(By.CSS_SELECTOR, ".messages").text


READING_TEXT = "阿公講伊的故事，烏貓仔食飽矣。"


def phone(driver, height=844):
    """A 390-pixel-wide phone screen (mobile viewport, touch-sized layout)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": height, "deviceScaleFactor": 1, "mobile": True})


def desktop(driver):
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(1280, 1000)


def font_loaded(driver):
    return driver.execute_script(
        "return document.fonts.status === 'loaded' && document.fonts.check('16px \"Fastpron Reading\"', 'ó͘')")


def test_readings_are_legible_with_the_bundled_font_and_a_remembered_size(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from webproject.article_pronunciation.models import Article

    article = Article.objects.create(text=READING_TEXT)
    browser.get(live_server.url + article.get_absolute_url() + "?system=poj")
    wait(browser, font_loaded, "the bundled font did not load")
    rt = browser.find_element(By.CSS_SELECTOR, "#fp-article rt")
    assert rt.value_of_css_property("font-size") == "16.32px"            # 0.6 of the 27.2 px characters
    assert rt.value_of_css_property("font-family").startswith('"Fastpron Reading"')
    # the font is served by this site (no other host is ever asked)
    sources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('woff2'))")
    assert sources and all(name.startswith(live_server.url + "/static/webproject/fonts/") for name in sources)
    assert "o͘" in "".join(readings(browser))                              # 烏 o͘ in POJ
    screenshot(browser, "10-legible-poj.png")

    size = browser.find_element(By.ID, "fp-reading-size")
    assert size.is_displayed() and size.get_attribute("value") == "m"
    Select(size).select_by_value("xl")
    assert browser.find_element(By.CSS_SELECTOR, "#fp-article rt").value_of_css_property("font-size") == "24.48px"
    browser.refresh()                                                      # the browser remembers it
    assert browser.find_element(By.CSS_SELECTOR, "#fp-article rt").value_of_css_property("font-size") == "24.48px"
    assert browser.find_element(By.ID, "fp-reading-size").get_attribute("value") == "xl"
    screenshot(browser, "11-reading-size-xl.png")
    Select(browser.find_element(By.ID, "fp-reading-size")).select_by_value("m")


def test_the_picker_shows_each_readings_mandarin_gloss(browser, live_server):
    from selenium.webdriver.common.by import By

    from webproject.article_pronunciation.models import Article

    article = Article.objects.create(text=READING_TEXT)
    browser.get(live_server.url + article.get_absolute_url())
    word = browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="2"]')     # 講
    wait(browser, lambda d: "fp-has-choices" in word.get_attribute("class"), "講 has no choices")
    word.click()
    picker = browser.find_element(By.ID, "fp-picker")
    wait(browser, lambda d: picker.is_displayed(), "the picker did not open")
    items = picker.find_elements(By.CSS_SELECTOR, ".picker__list button")
    assert [i.find_element(By.CSS_SELECTOR, ".picker__romanized").text for i in items] == ["kóng", "káng"]
    assert [i.find_element(By.CSS_SELECTOR, ".picker__gloss").text for i in items] == ["說情；講", "講"]
    assert items[0].find_element(By.CSS_SELECTOR, ".picker__romanized").value_of_css_property("font-size") == "21.6px"
    screenshot(browser, "12-picker-glosses.png", full=False)
    phone(browser)
    browser.refresh()
    browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="2"]').click()
    picker = browser.find_element(By.ID, "fp-picker")
    wait(browser, lambda d: picker.is_displayed(), "the picker did not open on the phone")
    assert picker.rect["x"] >= 0 and picker.rect["x"] + picker.rect["width"] <= 390
    screenshot(browser, "13-picker-phone.png", full=False)
    desktop(browser)


def test_vertical_tps_on_a_phone_starts_no_line_with_punctuation(browser, live_server):
    from selenium.webdriver.common.by import By

    from webproject.article_pronunciation.models import Article

    article = Article.objects.create(text=("阿公講伊的故事，烏貓仔食飽矣。" * 6) + "\n\n「好！」伊講。")
    phone(browser)
    browser.get(live_server.url + article.get_absolute_url() + "?system=tps&layout=right")
    assert "--" not in "".join(readings(browser))
    assert browser.find_element(By.ID, "fp-article").get_attribute("textContent").count("。") == 7
    # every word with the punctuation beside it stays on one line
    pieces = browser.execute_script(
        "return Array.from(document.querySelectorAll('#fp-article .fp-nb'),"
        " el => new Set(Array.from(el.getClientRects(), r => Math.round(r.bottom))).size)")
    assert len(pieces) == 14 and set(pieces) == {1}
    # and no line starts with 。 or ，: nothing else in the article stands outside a word
    starts = browser.execute_script("""
        const lefts = Array.from(document.querySelectorAll('#fp-article ruby'), r => Math.round(r.getBoundingClientRect().left));
        const margin = Math.min(...lefts);
        return Array.from(document.querySelectorAll('#fp-article .fp-nb'), el => {
          const range = document.createRange();
          const text = Array.from(el.childNodes).find(n => n.nodeType === 3 && /[。，]/.test(n.textContent));
          if (!text) return false;
          range.selectNodeContents(text);
          return Math.round(range.getBoundingClientRect().left) <= margin;
        });""")
    assert not any(starts)
    browser.execute_script("document.getElementById('fp-article').scrollIntoView()")
    screenshot(browser, "14-tps-vertical-phone.png", full=False)
    desktop(browser)


def test_phone_layout_input_button_and_dictionary(browser, live_server):
    from selenium.webdriver.common.by import By

    phone(browser)
    browser.get(live_server.url + "/article_pronunciation/input/")
    button = browser.find_element(By.CSS_SELECTOR, ".input-form button[type=submit]")
    screenshot(browser, "15-input-phone.png", full=False)
    assert button.rect["y"] + button.rect["height"] <= 844                  # on the first screen

    browser.get(live_server.url + "/dictionary/?q=講")
    cells = browser.find_elements(By.CSS_SELECTOR, ".lookup-table tbody td")
    assert len(cells) == 2 * 11
    assert all(cell.is_displayed() and cell.rect["x"] >= 0 and cell.rect["x"] + cell.rect["width"] <= 390
               for cell in cells)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    screenshot(browser, "16-dictionary-phone.png", full=False)
    desktop(browser)
    browser.get(live_server.url + "/dictionary/?q=tâi-uân")
    assert browser.find_element(By.CSS_SELECTOR, ".lookup-table__word").text == "台灣"
    screenshot(browser, "17-dictionary-romanised.png")


def test_a_strangers_pick_moves_the_page_to_a_copy_and_apply_to_all(browser, live_server):
    from selenium.webdriver.common.by import By

    from webproject.article_pronunciation.models import Article

    original = Article.objects.create(text="講，講，講。")          # nobody's: this browser is a stranger
    browser.get(live_server.url + original.get_absolute_url())
    assert browser.find_element(By.CSS_SELECTOR, ".hint--copy").is_displayed()
    browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="2"]').click()
    picker = browser.find_element(By.ID, "fp-picker")
    wait(browser, lambda d: picker.is_displayed(), "the picker did not open")
    apply_all = browser.find_element(By.ID, "fp-apply-all")
    assert apply_all.find_element(By.XPATH, "..").text == "套用到文章裡每一個「講」"
    apply_all.click()
    screenshot(browser, "18-apply-to-all.png", full=False)
    picker.find_elements(By.CSS_SELECTOR, ".picker__list button")[1].click()
    wait(browser, lambda d: readings(d) == ["káng", "káng", "káng"], "the pick did not go to every 講")
    copy = Article.objects.get(copied_from=original.id)
    assert browser.current_url == live_server.url + copy.get_absolute_url() + "?system=tl&tones=marks&sandhi=none&dialect=usual&layout=right"
    assert browser.find_element(By.ID, "permalink").get_attribute("value") == (
        live_server.url + copy.get_absolute_url() + "?system=tl&tones=marks&sandhi=none&dialect=usual&layout=right")
    original.refresh_from_db()
    assert original.picks == {}
    undo = browser.find_element(By.CSS_SELECTOR, "#fp-undo-form button")
    assert undo.is_displayed()
    screenshot(browser, "19-copy-after-pick.png")
    undo.click()
    wait(browser, lambda d: readings(d) == ["kóng", "kóng", "kóng"], "undo did not put the readings back")
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_two_systems_over_each_character(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from webproject.article_pronunciation.models import Article

    article = Article.objects.create(text=READING_TEXT)
    browser.get(live_server.url + article.get_absolute_url())
    Select(browser.find_element(By.NAME, "second")).select_by_value("tps")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#fp-article .fp-rt2"), "no second system")
    assert "second=tps" in browser.current_url
    ruby = browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="2"] ruby')     # 講
    first, second = ruby.find_elements(By.TAG_NAME, "rt")
    assert (first.text, second.text) == ("kóng", "ㄍㆲˋ")
    screenshot(browser, "20-two-systems.png", full=False)
    assert second.rect["y"] + second.rect["height"] <= first.rect["y"] + 1         # the second above the first
    screenshot(browser, "20-two-systems.png", full=False)
    phone(browser)
    browser.refresh()
    browser.execute_script("document.getElementById('fp-article').scrollIntoView()")
    screenshot(browser, "21-two-systems-phone.png", full=False)
    desktop(browser)


def test_a_long_article_page_by_page(browser, live_server, settings):
    """A page of a long article (ARTICLE_PAGE_LENGTH characters): the live switch, the address
    bar, the permalink box, the page links and a pick all keep the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    import fastpron
    from webproject.article_pronunciation.models import Article

    settings.ARTICLE_PAGE_LENGTH = 5
    article = Article.objects.create(text="行" * 12)
    browser.get(live_server.url + article.get_absolute_url() + "?page=2")
    assert readings(browser) == ["kiânn"] * 5
    assert browser.find_element(By.CSS_SELECTOR, ".article-pages .pages__where").text == "文章第 2 頁，共 3 頁"
    Select(browser.find_element(By.NAME, "system")).select_by_value("poj")
    wait(browser, lambda d: readings(d) == ["kiâⁿ"] * 5, "the system switch did not re-render page 2")
    options = "system=poj&tones=marks&sandhi=none&dialect=usual&layout=right"
    assert browser.current_url.endswith(f"?{options}&page=2")
    assert browser.find_element(By.ID, "permalink").get_attribute("value").endswith(f"?{options}&page=2")
    assert browser.find_element(By.CSS_SELECTOR, ".article-pages a[rel=prev]").get_attribute("href").endswith(
        f"?{options}")
    # a pick on page 2 (nobody owns the article: it goes to this browser's copy)
    browser.find_element(By.CSS_SELECTOR, '#fp-article [data-start="7"]').click()
    picker = browser.find_element(By.ID, "fp-picker")
    wait(browser, lambda d: picker.is_displayed(), "the picker did not open")
    picker.find_elements(By.CSS_SELECTOR, ".picker__list button")[1].click()
    second = fastpron.annotate("行", picks={0: 1}, system="poj")[0].reading
    wait(browser, lambda d: readings(d) == ["kiâⁿ"] * 2 + [second] + ["kiâⁿ"] * 2, "the pick was not shown")
    copy = Article.objects.exclude(pk=article.pk).get()
    assert copy.picks == {"7": {"word": "行", "reading": fastpron.lookup("行")[1]}}
    assert browser.current_url == f"{live_server.url}{copy.get_absolute_url()}?{options}&page=2"
    browser.find_element(By.CSS_SELECTOR, ".article-pages a[rel=next]").click()
    wait(browser, lambda d: d.current_url.endswith(f"?{options}&page=3") and readings(d) == ["kiâⁿ"] * 2,
         "no third page in POJ")
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
