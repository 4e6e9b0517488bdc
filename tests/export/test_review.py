"""The review pages (``aiscript review``), opened in a real headless Chromium.

One small run (three episodes) is made once for the module with the CLI, one of its episodes
is given hostile script text and the writer's log a fallback, then ``aiscript review`` writes
the pages again; the browser tests read them from ``file://``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aiscript.analysis import analyze
from aiscript.schema import Episode, Series

from ..cli.test_cli import aiscript
from ..conftest import ZH_PREMISE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_LINE = '<script>window.__pwned = 1</script>你敢？'
HOSTILE_ACTION = '<img src=x onerror="window.__pwned = 2">她推门而入。'
HOSTILE_TITLE = '</title><script>window.__pwned = 3</script>门外'


@pytest.fixture(scope="module")
def season(tmp_path_factory, browser) -> Path:
    """A three-episode run whose second episode carries markup in its script, reviewed again
    (only where there is a browser to open it: without one its tests skip before the run)."""
    from aiscript.drafting.records import WritingRecord, merged_log

    out = tmp_path_factory.mktemp("review") / "season"
    r = aiscript("run", ZH_PREMISE, "-n", "3", "--out", str(out), "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert (out / "review" / "index.html").is_file(), "run writes the review by default"
    path = out / "episodes" / "ep002.json"
    ep = json.loads(path.read_text(encoding="utf-8"))
    ep["title"] = HOSTILE_TITLE
    shot = ep["scenes"][0]["shots"][0]
    shot["action"] = HOSTILE_ACTION
    shot["lines"][0]["text"] = HOSTILE_LINE
    path.write_text(json.dumps(ep, ensure_ascii=False), encoding="utf-8")
    key = Series.model_validate_json((out / "series.json").read_bytes()).key
    records = [WritingRecord(series=key, episode=1, source="model", attempts=1),
               WritingRecord(series=key, episode=2, source="fallback", attempts=3,
                             rejected=["no cliffhanger"]),
               WritingRecord(series=key, episode=3, source="rewrite", attempts=2,
                             rewrites=["ending"])]
    log = merged_log({}, "llm", "tiny-model", None, records)
    (out / "writing.json").write_text(json.dumps(log), encoding="utf-8")
    r = aiscript("review", str(out))
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (apt-get install -y chromium) to open "
                    "the review pages")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (the test extra)")
    with sync_api.sync_playwright() as p:
        # launch() gives every run a fresh, temporary profile
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    """A browser tab that records console errors, page errors and failed loads."""

    def __init__(self, browser, width: int = 1280, height: int = 800) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))

    def open(self, path: Path):
        self.page.goto(path.as_uri())
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self.page

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def tab(browser):
    t = Page(browser)
    yield t
    t.close()


def _pages(season: Path) -> list[Path]:
    review = season / "review"
    return [review / "index.html"] + sorted(review.glob("ep*.html"))


def test_review_pages_open_without_console_errors(season, tab):
    for path in _pages(season):
        page = tab.open(path)
        page.keyboard.press("j")  # the page's script runs
        page.wait_for_timeout(50)
    assert tab.errors == []


def test_every_episode_has_a_card_with_the_analysers_verdicts(season, tab):
    page = tab.open(season / "review" / "index.html")
    cards = page.locator("li.card")
    episodes = sorted((season / "episodes").glob("ep*.json"))
    assert cards.count() == len(episodes) == 3
    for i, path in enumerate(episodes):
        report = analyze(Episode.model_validate_json(path.read_bytes()))
        card = cards.nth(i)
        assert card.get_attribute("data-episode") == str(i + 1)
        for name, verdict in (("hook", report.hook), ("cliffhanger", report.cliffhanger)):
            shown = card.locator(f'[data-verdict="{name}"]')
            assert shown.get_attribute("data-present") == str(verdict.present).lower()
            assert shown.get_attribute("data-score") == f"{verdict.score:.3f}"
            if verdict.evidence:
                assert shown.locator(".v-evidence").inner_text().strip("“”") == verdict.evidence
        assert card.locator(".warnings li").count() == len(report.warnings)
    # the writer's source from writing.json, and the fallback filter finds that episode
    assert cards.nth(1).locator(".badge.src-fallback").inner_text() == "fallback"
    page.get_by_role("button", name="Fallbacks").click()
    assert [cards.nth(i).is_visible() for i in range(3)] == [False, True, False]
    assert "1 of 3 shown" in page.locator("[data-shown]").inner_text()


def test_frames_load_from_relative_paths(season, tab):
    seen = 0
    for path in _pages(season):
        page = tab.open(path)
        images = page.locator("img")
        for i in range(images.count()):
            img = images.nth(i)
            src = img.get_attribute("src")
            assert src.startswith("../") and ":" not in src, src
            img.scroll_into_view_if_needed()
            img.evaluate("im => im.complete ? true : new Promise(ok => im.onload = im.onerror = ok)")
            assert img.evaluate("im => im.naturalWidth") > 0, src
            seen += 1
    assert seen > 3 + 5  # every hook thumbnail, the cast sheets and every episode's frames


def test_j_and_k_move_the_selection_and_n_and_p_change_episode(season, tab):
    page = tab.open(season / "review" / "ep001.html")
    shots = page.locator("li.shot")
    assert shots.count() > 2 and page.locator(".shot.is-current").count() == 0
    page.keyboard.press("j")
    assert page.locator(".shot.is-current").get_attribute("id") == shots.nth(0).get_attribute("id")
    page.keyboard.press("j")
    second = shots.nth(1)
    assert page.locator(".shot.is-current").get_attribute("id") == second.get_attribute("id")
    # the cursor on the beat curve sits on the selected shot's span of time
    assert page.locator("[data-cursor]").get_attribute("x") == second.get_attribute("data-x")
    page.keyboard.press("k")
    assert page.locator(".shot.is-current").get_attribute("id") == shots.nth(0).get_attribute("id")
    page.keyboard.press("n")
    page.wait_for_url("**/ep002.html")
    page.keyboard.press("p")
    page.wait_for_url("**/ep001.html")
    # the season page: j moves along the cards
    page = tab.open(season / "review" / "index.html")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator(".card.is-current").get_attribute("data-episode") == "2"


def test_script_text_with_markup_shows_as_text_and_never_runs(season, tab):
    page = tab.open(season / "review" / "ep002.html")
    line = page.locator(".shot .line").first
    assert HOSTILE_LINE in line.inner_text()
    assert HOSTILE_ACTION in page.locator(".shot .action").first.inner_text()
    assert HOSTILE_TITLE in page.title() and HOSTILE_TITLE in page.locator("h1").inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('script').length") == 1  # review.js
    index = tab.open(season / "review" / "index.html")
    assert HOSTILE_TITLE in index.locator("li.card").nth(1).locator("h3").inner_text()
    assert index.evaluate("window.__pwned") is None
    assert tab.errors == []


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_pages_fit_the_width_of_a_laptop_and_an_upright_phone(season, browser, size, tmp_path):
    tab = Page(browser, *size)
    try:
        for path in _pages(season):
            page = tab.open(path)
            page.screenshot(path=str(tmp_path / f"{path.stem}.png"), full_page=True)
            width = page.evaluate("[document.documentElement.scrollWidth, "
                                  "document.documentElement.clientWidth]")
            assert width[0] <= width[1], (path.name, width)
            # nothing inside the page is cut off on the right either
            wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
                .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
                .map(el => el.tagName + '.' + el.className)""")
            assert wide == [], (path.name, wide)
    finally:
        tab.close()


CONTRAST = """() => {
  const rgba = c => { const p = c.match(/[\\d.]+/g).map(Number); return p.length > 3 ? p : [...p, 1]; };
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const under = el => { for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0.5) return c; }
    return [255, 255, 255, 1]; };
  const low = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement, text = walk.currentNode.textContent.trim();
    if (!text || el.closest("svg, [hidden], .skip") || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el), a = lum(rgba(cs.color)), b = lum(under(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
    if (ratio < (size >= 24 || (bold && size >= 18.66) ? 3 : 4.5))
      low.push(`${el.tagName}.${el.className} "${text.slice(0, 20)}" ${ratio.toFixed(2)}`);
  }
  return low;
}"""


def test_text_contrast_meets_wcag_aa(season, tab):
    for path in _pages(season)[:2]:
        page = tab.open(path)
        page.keyboard.press("j")
        if path.name == "index.html":
            page.get_by_role("button", name="Warnings").click()  # a pressed filter too
        assert page.evaluate(CONTRAST) == [], path.name


def test_chinese_is_drawn_with_the_embedded_font(season, tab):
    """On a machine without Chinese fonts the pages' own font cut draws the Chinese (no
    empty boxes from a Latin font)."""
    page = tab.open(season / "review" / "ep001.html")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    for selector in (".epnav a", "h1", ".slug", ".shot .line"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        latin_only = [f["familyName"] for f in fonts
                      if f["familyName"].startswith(("DejaVu", "Liberation"))]
        if any(not f["isCustomFont"] for f in fonts) and latin_only:
            # an installed CJK font may draw it instead; a Latin-only one never may
            text = page.locator(selector).first.inner_text()
            assert all(ord(ch) < 0x2E80 for ch in text), (selector, fonts)


# --------------------------------------------------------------------------- without a browser


def test_review_refuses_a_folder_aiscript_did_not_make(tmp_path):
    (tmp_path / "episodes").mkdir()
    r = aiscript("review", str(tmp_path))
    assert r.returncode == 2 and "not made by aiscript" in r.stderr
    assert not (tmp_path / "review").exists()
    r = aiscript("review", str(tmp_path / "missing"))
    assert r.returncode == 2 and "is not a folder" in r.stderr


def test_no_review_skips_the_pages(tmp_path):
    out = tmp_path / "s"
    r = aiscript("run", ZH_PREMISE, "-n", "1", "--out", str(out), "--no-review")
    assert r.returncode == 0, r.stderr
    assert (out / "episodes" / "ep001.json").is_file() and not (out / "review").exists()


def test_a_folder_without_storyboards_is_reviewed_from_its_scripts(tmp_path):
    from aiscript.export.review import write_review
    from aiscript.pipeline import run

    run(ZH_PREMISE, episodes=2, out=tmp_path / "w", storyboards=False)
    index = write_review(tmp_path / "w")
    page = (index.parent / "ep001.html").read_text(encoding="utf-8")
    assert "no frame" in page and "<img" not in page
    assert index.read_text(encoding="utf-8").count('class="card"') == 2


def test_storyboard_folder_review_names_pages_after_the_scripts(tmp_path):
    from aiscript.export.review import write_review
    from aiscript.importing import storyboard_scripts

    script = tmp_path / "pilot ep.txt"
    script.write_text("第1集 辞职\n\n1-1 日 内 办公室\n△林晚把辞职信拍在桌上。\n"
                      "林晚（冷笑）：这份工作，我不干了！\n顾言：你说什么？\n", encoding="utf-8")
    result = storyboard_scripts([script], tmp_path / "boards")
    index = write_review(tmp_path / "boards", dict(zip(result.names, result.reports,
                                                       strict=True)))
    assert (index.parent / "pilot_ep.html").is_file()
    season = index.read_text(encoding="utf-8")
    assert "pilot_ep.html" in season and "林晚" in season
    # the cast's reference sheets are found under the ids the casting gave them
    assert "storyboards/characters/" in season


def test_shot_blocking_is_described_when_the_storyboard_has_it():
    from aiscript.export.review import _blocking

    staging = {"people": [{"name": "林晚", "x": 0.2, "facing": "right", "looks_at": "顾言",
                           "pose": "standing"},
                          {"name": "顾言", "x": 0.8, "facing": "left", "foreground": True}],
               "contacts": [{"kind": "slap", "by": "林晚", "to": "顾言"}],
               "props": [{"kind": "document", "label": "辞职信", "held_by": "林晚"}],
               "line_of_action": ["林晚", "顾言"]}
    assert _blocking(staging) == [
        "林晚: left, standing, facing right, looks at 顾言",
        "顾言: right, facing left, back to camera",
        "林晚 slap 顾言",
        "辞职信 (document), held by 林晚",
        "line of action: 林晚 left, 顾言 right",
    ]
    assert _blocking(None) == []


def test_a_review_written_again_reuses_reports_only_for_unchanged_episodes(tmp_path):
    from aiscript.export.review import write_review
    from aiscript.pipeline import run

    out = tmp_path / "w"
    run(ZH_PREMISE, episodes=2, out=out, storyboards=False)
    index = write_review(out)
    kept = json.loads((index.parent / "analysis.json").read_text(encoding="utf-8"))
    for name in ("ep001", "ep002"):  # a marker the analyser never gives
        kept["episodes"][name]["report"]["hook"]["score"] = 0.123
    (index.parent / "analysis.json").write_text(json.dumps(kept), encoding="utf-8")
    path = out / "episodes" / "ep002.json"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\n "), encoding="utf-8")
    write_review(out)
    cards = index.read_text(encoding="utf-8")
    assert 'data-verdict="hook" data-present="true" data-score="0.123"' in cards  # ep001 kept
    ep002 = analyze(Episode.model_validate_json(path.read_bytes()))
    assert f'data-score="{ep002.hook.score:.3f}"' in cards  # ep002 changed: analysed again
    # another analyser (its code or data changed): nothing is reused
    kept["analyser"] = "0" * 64
    (index.parent / "analysis.json").write_text(json.dumps(kept), encoding="utf-8")
    write_review(out)
    assert 'data-score="0.123"' not in index.read_text(encoding="utf-8")


def test_the_writers_pivots_are_shown_apart_from_the_ones_the_analyser_found(tmp_path):
    """A pivot the writer marked is shown on its shot and counted on its own line, beside (not
    inside) the analyser's count, which comes from the text alone."""
    from aiscript.export.review import write_review
    from aiscript.pipeline import run

    run(ZH_PREMISE, episodes=4, out=tmp_path / "w", storyboards=False)
    index = write_review(tmp_path / "w")
    pages = [(index.parent / f"ep{n:03d}.html").read_text(encoding="utf-8") for n in range(1, 5)]
    marked = [sum(sh.beat == "pivot" for _, sh in Episode.model_validate_json(
        (tmp_path / "w" / "episodes" / f"ep{n:03d}.json").read_bytes()).shots())
        for n in range(1, 5)]
    assert sum(marked) > 0
    for page, n in zip(pages, marked, strict=True):
        assert (f"({n} marked by the writer)" in page) == (n > 0)
