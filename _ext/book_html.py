"""Small fixes the book needs from Sphinx, in one local extension.

1. **Numbered multi-line equations.** The notes number their equations, so the
   book writes ``$$ \\begin{aligned} ... \\end{aligned} \\tag{1.9} $$``. For HTML,
   Sphinx wraps every display that contains ``\\\\`` in ``\\begin{split}``, where
   MathJax rejects ``\\tag``: such blocks are emitted unwrapped, inside ``\\[ \\]``,
   which MathJax accepts. For LaTeX (``make pdf``), Sphinx wraps *every* display in
   ``equation*`` + ``split``, where amsmath rejects ``\\tag`` even on one line: every
   tagged display is emitted as ``\\begin{equation*} ... \\tag{..} \\end{equation*}``
   instead (blank lines, which end a paragraph in TeX, are dropped). Both act at
   write time (``doctree-resolved``), per builder, so the HTML and LaTeX builds can
   share one cached environment. Also for LaTeX only: a font command used as a
   bare sub- or superscript (``\\sigma^2_\\mathcal{B}``, which MathJax accepts) is
   braced (``_{\\mathcal{B}}``), as unicode-math's robust ``\\mathcal`` requires;
   a cell's displayed output (a long SymPy expression, which scrolls in HTML) is
   shrunk to the line width if wider; and a table's columns get widths from their
   contents (MyST tables have none, so LaTeX would set each column on one line and
   a wide table, such as the errata, would run off the page).
2. **Offline pages.** Thebe (live code on a remote Binder kernel) is not enabled,
   yet Jupyter Book always loads ``sphinx_thebe``, whose inline configuration
   names a CDN URL and is registered twice (the second copy throws "Identifier
   'THEBE_JS_URL' has already been declared" on every page). Without launch
   buttons nothing uses it, so both of its scripts are dropped; any other script
   registered twice is kept once.
3. **Launch buttons from one setting.** ``_config.yml`` names the Binder and Colab
   services once; their buttons appear only when ``repository.url`` is set (without
   a repository there is nothing to launch, and sphinx-book-theme would fail).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

_LAUNCH_SERVICES = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url",
                    "jupyterlite_url", "thebe")


# ``_\mathcal{B}`` / ``^\mathrm{T}``: a font command as a bare script, one level of
# nested braces inside its argument.
_BARE_SCRIPT = re.compile(r"([_^])\s*(\\(?:math[a-z]+|operatorname|boldsymbol|text[a-z]*)"
                          r"\s*\{(?:[^{}]|\{[^{}]*\})*\})")


def _brace_bare_scripts(doctree: nodes.document) -> None:
    for node in [*doctree.findall(nodes.math), *doctree.findall(nodes.math_block)]:
        text = node.astext()
        fixed = _BARE_SCRIPT.sub(r"\1{\2}", text)
        if fixed != text:
            node.children = [nodes.Text(fixed)]


def _in_cell_output(node: nodes.Node) -> bool:
    while node is not None:
        if "cell_output" in (node.get("classes", []) if isinstance(node, nodes.Element) else []):
            return True
        node = node.parent
    return False


def _fit_cell_output_math(doctree: nodes.document) -> None:
    for node in doctree.findall(nodes.math_block):
        text = node.astext()
        if node.get("nowrap") or "\\tag" in text or not _in_cell_output(node):
            continue
        body = "\n".join(line for line in text.splitlines() if line.strip())
        node["nowrap"] = True
        node.children = [nodes.Text(
            "\\begin{center}\\adjustbox{max width=\\linewidth}"
            f"{{$\\displaystyle {body}$}}\\end{{center}}")]


# Column widths for LaTeX tables, in characters of body text per line (A4, 10pt).
_LINE_CHARS, _COLUMN_GAP, _MIN_WORD = 90, 2.5, 12


def _cell_texts(row: nodes.row) -> list[str] | None:
    entries = [e for e in row.children if isinstance(e, nodes.entry)]
    if any(e.get("morecols") or e.get("morerows") for e in entries):
        return None
    return [" ".join(e.astext().split()) for e in entries]


def _set_table_widths(doctree: nodes.document) -> None:
    for table in doctree.findall(nodes.table):
        if "colwidths-given" in table["classes"]:
            continue
        groups = [g for g in table.children if isinstance(g, nodes.tgroup)]
        if len(groups) != 1:
            continue
        colspecs = [c for c in groups[0].children if isinstance(c, nodes.colspec)]
        rows = [_cell_texts(r) for r in groups[0].findall(nodes.row)]
        if not colspecs or any(r is None or len(r) != len(colspecs) for r in rows):
            continue
        n = len(colspecs)
        columns = list(zip(*rows, strict=True))
        natural = [max(len(t) for t in col) for col in columns]
        if sum(natural) + _COLUMN_GAP * n <= _LINE_CHARS:
            widths = [w + _COLUMN_GAP for w in natural]
        else:
            word = [min(max((len(w) for t in col for w in t.split()), default=1), _MIN_WORD) + 1
                    for col in columns]
            mean = [sum(len(t) for t in col) / len(col) for col in columns]
            spare = max(_LINE_CHARS - _COLUMN_GAP * n - sum(word), 0)
            want = [max(m - w, 0) for m, w in zip(mean, word, strict=True)]
            total = sum(want) or 1
            widths = [_COLUMN_GAP + w + spare * x / total for w, x in zip(word, want, strict=True)]
        for colspec, width in zip(colspecs, widths, strict=True):
            colspec["colwidth"] = max(1, round(10 * width))
        table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"]
        table["classes"].append("colwidths-given")


def _unsplit_tagged_displays(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    latex = app.builder.format == "latex"
    if latex:
        _brace_bare_scripts(doctree)
        _fit_cell_output_math(doctree)
        _set_table_widths(doctree)
    for node in doctree.findall(nodes.math_block):
        text = node.astext()
        if node.get("nowrap") or "\\tag" not in text:
            continue
        if latex:
            body = "\n".join(line for line in text.splitlines() if line.strip())
            node["nowrap"] = True
            node.children = [nodes.Text(f"\\begin{{equation*}}\n{body}\n\\end{{equation*}}")]
        elif "\\\\" in text:
            node["nowrap"] = True
            node.children = [nodes.Text(f"\\[{text}\\]")]


def _launch_buttons_need_a_repository(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    if (options.get("repository_url") or "").strip():
        return
    launch = dict(options.get("launch_buttons") or {})
    for key in _LAUNCH_SERVICES:
        if key in launch:
            launch[key] = False if key == "thebe" else ""
    options["launch_buttons"] = launch


def _is_thebe(script: object) -> bool:
    filename = str(getattr(script, "filename", "") or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "sphinx-thebe.js" in filename or "THEBE_JS_URL" in body


def _clean_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    thebe_on = bool(app.config.html_theme_options.get("launch_buttons", {}).get("thebe"))
    seen, kept = set(), []
    for script in scripts:
        key = (str(getattr(script, "filename", script)),
               str(getattr(script, "attributes", {}).get("body", "")))
        if key in seen or (not thebe_on and _is_thebe(script)):
            continue
        seen.add(key)
        kept.append(script)
    scripts[:] = kept


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _launch_buttons_need_a_repository)
    app.connect("doctree-resolved", _unsplit_tagged_displays)
    app.connect("html-page-context", _clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
