"""Keep the HTML book self-contained and its browser console clean.

* Thebe (live code on a remote Binder kernel) is not enabled in this book, yet
  Jupyter Book always loads ``sphinx_thebe``, whose inline configuration script
  names a CDN URL and is registered twice (the second copy throws "Identifier
  'THEBE_JS_URL' has already been declared" in every page). Without launch
  buttons nothing uses it, so both of its scripts are dropped from each page.
* Any other script registered twice is kept once.
"""

from __future__ import annotations

from sphinx.application import Sphinx


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
    app.connect("html-page-context", _clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
