"""The book's sources are consistent: every notebook is in the table of contents,
committed executed, deterministic in form, and free of widget state."""

import json

import pytest

from tests._book import ROOT, notebooks, toc_files

NOTEBOOKS = notebooks()


def test_every_toc_entry_exists_and_every_notebook_is_listed():
    listed = toc_files()
    for entry in listed:
        matches = [p for p in (ROOT / f"{entry}.md", ROOT / f"{entry}.ipynb") if p.exists()]
        assert matches, f"_toc.yml lists {entry}, which has no .md or .ipynb file"
    for nb in NOTEBOOKS:
        assert str(nb.relative_to(ROOT).with_suffix("")) in listed, f"{nb} is not in _toc.yml"


def test_there_is_at_least_the_exemplar_notebook():
    assert ROOT / "chapters/01_foundations/01_taylor.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_and_clean(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "widget state must not be stored (make execute)"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert None not in counts, "some code cells were never executed: run make execute"
    assert counts == list(range(1, len(code) + 1)), "cells were not executed top to bottom"
    for cell in code:
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"a cell raised: {out.get('ename')}"
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), \
                "a widget view with a random model id is stored: run make execute"
            assert out.get("name") != "stderr", f"stderr output: {''.join(out['text'])[:200]}"
            text = "".join(out.get("data", {}).get("text/plain", ""))
            assert " at 0x" not in text, f"a memory address would make nbval flaky: {text[:80]}"
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    assert any(line.startswith("# ") for line in "".join(first["source"]).splitlines()), \
        "the first cell carries the page title"


def _prose_lines(source: str):
    """The lines of a markdown cell outside ``$$`` blocks and code fences."""
    in_math = in_fence = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            if stripped.startswith("```{"):  # MyST directives hold prose
                in_fence = False
            continue
        if stripped.count("$$") % 2 == 1:
            in_math = not in_math
            continue
        if not in_math and not in_fence:
            yield line


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_no_paragraph_line_starts_an_accidental_list(path):
    """A prose line that begins with "+ " or "- " right after a paragraph line starts a
    bullet list in Markdown: a wrapped formula like "$a\\n+ b$" breaks the paragraph and
    the inline maths (it happened twice). Start such a line with another token."""
    bad = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        previous = ""
        for line in _prose_lines("".join(cell["source"])):
            if (line[:2] in ("+ ", "- ") and previous.strip()
                    and previous.lstrip()[:2] not in ("+ ", "- ", "* ")
                    and not previous.lstrip()[:1].isdigit()
                    and not previous.startswith((" ", "|", ":", "#", "(", "```"))):
                bad.append(f"{previous.strip()[-40:]!r} / {line[:40]!r}")
            previous = line
    assert bad == [], f"lines that start an accidental list: {bad}"


@pytest.mark.parametrize("page", sorted(ROOT.glob("*.md")) + sorted(ROOT.glob("chapters/*/*.md")),
                         ids=lambda p: p.stem)
def test_no_bar_inside_maths_in_a_table_row(page):
    """A "|" inside $...$ in a Markdown table row ends the cell (errata row 63 once showed
    raw TeX in the wrong column): write \\lvert, \\rvert, \\lVert, \\rVert or \\mid."""
    import re

    bad = [line[:60] for line in page.read_text().splitlines() if line.startswith("|")
           for maths in re.findall(r"\$([^$]+)\$", line) if "|" in maths]
    assert bad == [], f"table rows with | inside maths: {bad}"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_every_section_has_exercises_with_solutions(path):
    """2-4 exercises per section, each with exactly one solution (hidden in a dropdown)."""
    import re

    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "markdown")
    exercises = re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", text)
    solutions = re.findall(r"```\{solution(?:-start)?\} (\S+)\n:class: dropdown", text)
    assert 2 <= len(exercises) <= 4, f"{len(exercises)} exercises"
    assert sorted(solutions) == sorted(exercises), "each exercise needs one dropdown solution"
    assert text.count("```{solution-start}") == text.count("```{solution-end}")
    # code in an exercise title breaks sphinx-exercise's label (the solution then fails)
    assert not re.findall(r"```\{exercise\}[^\n]*`", text), "backticks in an exercise title"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_display_maths_starts_a_block(path):
    """A "$$" block glued to the line of text before it is not display maths in MyST: it
    renders as raw dollars (it happened in 3.2). A blank line, a "(label)=" target or a
    directive option must come first."""
    bad = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).splitlines()
        in_math = False
        for k, line in enumerate(lines):
            if line.strip().count("$$") % 2 == 0:
                continue
            previous = lines[k - 1].strip() if k else ""
            if not in_math and previous and not previous.endswith(")=") \
                    and not previous.startswith(":"):
                bad.append(previous[-50:])
            in_math = not in_math
    assert bad == [], f"$$ right after a text line: {bad}"
