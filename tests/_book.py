"""Where the book's sources and built pages are, for the tests that read them.

``BOOK_HTML`` (an environment variable) points the tests at another build of the
HTML book, e.g. one made with ``jupyter-book build . --path-output /tmp/book``
(whose pages are in ``/tmp/book/_build/html``); by default they read ``_build/html``.
"""

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()


def toc_files() -> list[str]:
    """Every document listed in ``_toc.yml`` (without extension), root first."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def notebooks() -> list[Path]:
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)
