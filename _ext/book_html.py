"""Small HTML fixes the book needs from Sphinx, in one local extension.

1. **Numbered multi-line equations.** The notes number their equations, so the
   book writes ``$$ \\begin{aligned} ... \\end{aligned} \\tag{1.9} $$``. Sphinx wraps
   every display that contains ``\\\\`` in ``\\begin{split}``, where MathJax (and
   LaTeX) reject ``\\tag``. Such blocks are emitted unwrapped, inside ``\\[ \\]``,
   which both MathJax and amsmath accept.
2. **Offline pages.** Thebe (live code on a remote Binder kernel) is not enabled,
   yet Jupyter Book always loads ``sphinx_thebe``, whose inline configuration
   names a CDN URL and is registered twice (the second copy throws "Identifier
   'THEBE_JS_URL' has already been declared" on every page). Without launch
   buttons nothing uses it, so both of its scripts are dropped; any other script
   registered twice is kept once.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def _unsplit_tagged_displays(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(nodes.math_block):
        text = node.astext()
        if node.get("nowrap") or "\\tag" not in text or "\\\\" not in text:
            continue
        node["nowrap"] = True
        node.children = [nodes.Text(f"\\[{text}\\]")]


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
    app.connect("doctree-read", _unsplit_tagged_displays)
    app.connect("html-page-context", _clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
