"""Execute the book's notebooks in parallel into the build's execution cache.

``jupyter-book build`` (myst-nb, ``execute_notebooks: cache``) executes the notebooks it
finds no cached outputs for one after another. ``make html`` runs this script first: it
executes those notebooks on every core at once, exactly as myst-nb would (same cwd,
timeout and error policy, same cache records), so the build then finds them all cached.
A notebook that fails here is left out of the cache: the build executes it again and
reports the error as usual.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"


def book_notebooks() -> list[Path]:
    """The notebooks listed in ``_toc.yml``, in reading order."""
    found: list[Path] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            name = node.get("file") or node.get("root")
            if isinstance(name, str):
                path = ROOT / (name if name.endswith(".ipynb") else name + ".ipynb")
                if path.exists():
                    found.append(path)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    return found


def _execute(path: Path, timeout: int) -> tuple[Path, object, float, str | None]:
    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(nb, cwd=str(path.parent), timeout=timeout,
                                 allow_errors=False, meta_override=True)
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return path, nb, result.time, error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="notebooks executed at once (default: the usable cores)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    cache = get_cache(str(CACHE))
    pending = []
    for path in book_notebooks():
        with suppress(KeyError):
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
            continue
        pending.append(path)
    if not pending:
        return 0
    # Largest first: the long notebooks do not end up alone at the end.
    pending.sort(key=lambda p: p.stat().st_size, reverse=True)
    print(f"executing {len(pending)} notebooks, {args.jobs} at a time", file=sys.stderr)
    start = time.perf_counter()
    failed = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(_execute, path, args.timeout) for path in pending]
        for future in as_completed(futures):
            path, nb, seconds, error = future.result()
            name = path.relative_to(ROOT)
            if error is not None:
                failed += 1
                print(f"  {name}: failed ({error.splitlines()[0]}); the build will "
                      "execute it again and report it", file=sys.stderr)
                continue
            record = cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, record.uri, data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
            print(f"  {name}: {seconds:.1f} s", file=sys.stderr)
    print(f"executed in {time.perf_counter() - start:.0f} s"
          + (f", {failed} failed" if failed else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
