"""Open every built page in headless Chromium, offline, and check what a reader sees.

Every request that is not ``file:`` or ``data:`` is blocked and reported, so a page
that needs a CDN fails here. Per page: no console errors, MathJax rendered every
math element without a TeX error, no raw TeX in the text, every image loaded and
described (alt text), every embedded widget rendered, and every pre-rendered
slider changes its picture when moved. Internal links are checked without a
browser, and so are the notebook download link and the (absent) launch buttons of
a chapter page. In dark mode the figures keep their white background. With
``CI=true`` a missing browser or a missing build is a failure.
"""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from PIL import Image

from tests._book import BUILD, ROOT, toc_files

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = [f"{name}.html" for name in toc_files()] + ["genindex.html", "search.html"]
RAW_TEX = ("$$", "\\[", "\\(", "\\begin{", "\\frac", "\\tag{")

PAGE_REPORT = r"""
() => {
  const main = document.querySelector("main") || document.body;
  const maths = [...main.querySelectorAll(".math")];
  const clone = main.cloneNode(true);
  clone.querySelectorAll("pre, code, script, style, textarea, mjx-container, .math")
       .forEach(e => e.remove());
  const widgetViews = [...document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]')];
  return {
    mathCount: maths.length,
    unrendered: maths.filter(m => !m.querySelector("mjx-container"))
                     .map(m => m.textContent.trim().slice(0, 80)),
    texErrors: [...document.querySelectorAll("mjx-merror")]
                 .map(e => e.getAttribute("data-mjx-error") || e.textContent),
    text: clone.textContent,
    brokenImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))
                     .map(i => i.getAttribute("src").slice(0, 80)),
    missingAlt: [...main.querySelectorAll("img")].filter(i => !(i.alt || "").trim())
                     .map(i => i.getAttribute("src").slice(0, 80)),
    widgetViews: widgetViews.length,
    unrenderedWidgets: widgetViews.filter(s => !s.parentElement.querySelector(".jupyter-widgets"))
                     .length,
    sliders: document.querySelectorAll(".nb-static-frames").length,
    exercises: main.querySelectorAll("div.exercise").length,
    solutions: main.querySelectorAll("div.solution").length,
    // a solution's body (everything after its title) must stay hidden until asked for
    solutionsShown: [...main.querySelectorAll("div.solution")].filter(s =>
        [...s.children].some(c => !c.classList.contains("admonition-title") &&
                                  c.checkVisibility({visibilityProperty: true}))).length,
    proofs: main.querySelectorAll("div.proof").length,
  };
}
"""

VISIBLE_FRAME = """
root => {
  const shown = [...root.querySelectorAll("img[data-frame]")].filter(i => !i.hidden);
  return shown.map(i => i.dataset.frame + " " + i.src.length + " " + (i.naturalWidth > 0));
}
"""


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (BUILD / "index.html").exists():
        _missing(f"the book is not built ({BUILD}); run make book")
    if not Path(CHROMIUM).exists():
        _missing("Chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.blocked, page.errors = [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _open(page, name: str) -> dict:
    path = BUILD / name
    assert path.exists(), f"{name} was not built"
    page.goto(path.as_uri(), wait_until="load")
    has_mathjax = page.evaluate("() => typeof window.MathJax !== 'undefined'")
    if has_mathjax:
        page.wait_for_function("() => window.MathJax.startup && window.MathJax.startup.promise")
        page.evaluate("() => window.MathJax.startup.promise")
    report = page.evaluate(PAGE_REPORT)
    report["has_mathjax"] = has_mathjax
    return report


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_offline(page, name):
    report = _open(page, name)
    assert page.blocked == [], f"requests outside the book: {page.blocked}"
    assert page.errors == [], f"console errors: {page.errors}"
    if report["mathCount"]:
        assert report["has_mathjax"], "page has math but MathJax is not loaded"
    assert report["unrendered"] == [], f"math not rendered by MathJax: {report['unrendered']}"
    assert report["texErrors"] == [], f"TeX errors: {report['texErrors']}"
    raw = [s for s in RAW_TEX if s in report["text"]]
    assert raw == [], f"raw TeX visible in the page text: {raw}"
    assert report["brokenImages"] == [], f"images that did not load: {report['brokenImages']}"
    assert report["missingAlt"] == [], f"images without alt text: {report['missingAlt']}"
    assert report["unrenderedWidgets"] == 0, "an embedded widget did not render"
    if name.startswith("chapters/") and not name.endswith("index.html"):
        assert 2 <= report["exercises"] <= 4, f"{report['exercises']} exercises"
        assert report["solutions"] == report["exercises"], "an exercise without a solution"
        assert report["solutionsShown"] == 0, "a solution is visible before it is asked for"


def test_solutions_open_on_request_and_theorems_are_numbered(page):
    report = _open(page, "chapters/01_foundations/01_taylor.html")
    assert report["exercises"] == 3 and report["proofs"] >= 2
    solution = page.locator("main div.solution").nth(1)
    code = solution.locator("pre").first
    assert not code.is_visible()
    solution.scroll_into_view_if_needed()
    solution.locator("button.toggle-button").click()
    code.wait_for(state="visible", timeout=5000)
    assert "Exercise 2" in solution.locator(".admonition-title").inner_text()
    title = page.locator("main div.proof.theorem .admonition-title").first.inner_text()
    assert title.startswith("Theorem 1"), title


def test_index_redirects_to_the_first_page(page):
    page.goto((BUILD / "index.html").as_uri())
    page.wait_for_url("**/intro.html")
    assert page.blocked == []


def test_taylor_page_has_math_figures_and_a_working_slider(page):
    report = _open(page, "chapters/01_foundations/01_taylor.html")
    assert report["mathCount"] >= 10
    assert report["sliders"] == 1
    assert page.locator("main img").count() >= 3
    # the equations carry the notes' numbers
    text = page.locator("main").inner_text()
    assert "(1.1)" in text and "(1.2)" in text

    root = page.locator(".nb-static-frames").first
    root.scroll_into_view_if_needed()
    before = root.evaluate(VISIBLE_FRAME)
    assert len(before) == 1 and before[0].endswith("true")
    for slider in range(root.locator("input[type=range]").count()):
        control = root.locator("input[type=range]").nth(slider)
        old_label = control.evaluate("i => i.nextElementSibling.textContent")
        control.evaluate("i => { i.value = String((Number(i.value) + 1) % (Number(i.max) + 1));"
                         " i.dispatchEvent(new Event('input')); }")
        after = root.evaluate(VISIBLE_FRAME)
        assert len(after) == 1 and after != before, "moving the slider did not change the picture"
        assert control.evaluate("i => i.nextElementSibling.textContent") != old_label
        before = after


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links_resolve():
    if not (BUILD / "index.html").exists():
        _missing(f"the book is not built ({BUILD}); run make book")
    pages = [p for p in BUILD.rglob("*.html") if "_static" not in p.parts]
    parsed = {p: _parse(p) for p in pages}
    broken = []
    for source, links in parsed.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
            if not target.exists():
                broken.append(f"{source.relative_to(BUILD)} -> {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{source.relative_to(BUILD)} -> {href} (no such anchor)")
    assert broken == [], "broken internal links:\n" + "\n".join(broken)
    assert len(pages) >= len(toc_files())


def test_mathjax_is_served_from_the_book():
    scripts = (BUILD / "intro.html").read_text()
    assert "_static/mathjax/tex-chtml.js" in scripts
    assert (BUILD / "_static/mathjax/tex-chtml.js").exists()
    assert "cdn." not in scripts and "unpkg" not in scripts, "a page names a CDN"


CHAPTER = "chapters/01_foundations/01_taylor"
LAUNCH_HINTS = ("binder", "colab.research", "jupyterhub", "deepnote", "jupyterlite")


def test_chapter_page_offers_its_notebook_and_launch_buttons_follow_the_repository():
    if not (BUILD / "index.html").exists():
        _missing(f"the book is not built ({BUILD}); run make book")
    html = (BUILD / f"{CHAPTER}.html").read_text(encoding="utf-8")
    hrefs = _parse(BUILD / f"{CHAPTER}.html").hrefs
    downloads = [h for h in hrefs if h.endswith(f"_sources/{CHAPTER}.ipynb")]
    assert downloads, "the chapter page has no .ipynb download link"
    assert (BUILD / f"{CHAPTER}.html").parent.joinpath(downloads[0]).resolve().is_file()
    launch = [h for h in hrefs if any(k in h.lower() for k in LAUNCH_HINTS)]
    repository = (yaml.safe_load((ROOT / "_config.yml").read_text())
                  .get("repository") or {}).get("url") or ""
    if repository.strip():
        assert launch, "repository.url is set but the page has no launch button"
    else:
        assert launch == [], f"launch buttons without a repository: {launch}"
        assert "dropdown-launch-buttons" not in html


def test_figures_stay_white_in_dark_mode(page):
    _open(page, f"{CHAPTER}.html")
    # what the theme's light/dark button stores (pydata-sphinx-theme reads "mode")
    page.evaluate("() => localStorage.setItem('mode', 'dark')")
    page.reload(wait_until="load")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    figures = page.locator("main div.cell_output img:not([hidden])")
    assert figures.count() >= 3
    for i in range(figures.count()):
        figure = figures.nth(i)
        style = figure.evaluate("i => { const s = getComputedStyle(i);"
                                " return [s.filter, s.backgroundColor]; }")
        assert style == ["none", "rgb(255, 255, 255)"], f"figure {i} in dark mode: {style}"
        figure.scroll_into_view_if_needed()
        # what the reader sees, filters and all: a pixel inside the figure's corner
        corner = Image.open(BytesIO(figure.screenshot())).convert("RGB").getpixel((3, 3))
        assert min(corner) >= 245, f"figure {i} is not white in dark mode: {corner}"
    assert page.blocked == [] and page.errors == []


_ = ROOT  # the repository root, for readers following the imports
