"""Re-execute notebooks in place, keeping their outputs (``make execute``).

Runs each notebook top to bottom in a fresh kernel from this environment, with
the repository root as working directory's anchor, and stores the outputs
strict nbval compares against. Timing metadata, widget state and widget views
are not stored: none is part of what a reader should see (the HTML book shows
each widget's static counterpart), and all would make every re-execution a diff.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def coalesce_streams(cell: dict) -> None:
    """Merge consecutive stdout (or stderr) chunks: how the kernel happened to split
    a stream is noise, and would otherwise show up as a diff on re-execution."""
    merged: list = []
    for output in cell.get("outputs", []):
        if (merged and output.get("output_type") == "stream"
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1]["text"] = "".join(merged[-1]["text"]) + "".join(output["text"])
        else:
            merged.append(output)
    if "outputs" in cell:
        cell["outputs"] = merged


def execute(path: Path, timeout: int) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        coalesce_streams(cell)
        for output in cell.get("outputs", []):
            # A widget view refers to a model that lives only in the kernel that made
            # it; its random id would make every re-execution a diff. Keep the text.
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    nbformat.write(nb, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebook under chapters/)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="notebooks executed at once (default: the usable cores)")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    paths = args.notebooks or sorted((ROOT / "chapters").rglob("*.ipynb"))
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    # Each notebook runs in its own kernel and writes only its own file.
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(execute, path, args.timeout): path for path in paths}
        for future in as_completed(futures):
            future.result()  # re-raises a failing notebook's error
            path = futures[future]
            print(f"executed {path.relative_to(ROOT) if path.is_absolute() else path}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
