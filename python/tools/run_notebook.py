"""Executes a notebook headless with nbclient and fails if any cell raises.

    python run_notebook.py NOTEBOOK [--out EXECUTED.ipynb]

The kernel is this interpreter (ipykernel's own "python3" kernel runs `sys.executable`), so
run it with the test virtualenv's Python to use the installed wheel. The kernel starts in the
notebook's folder, as Jupyter would. The first output line the notebook prints must name the
installed package (`site-packages`), never the source tree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--out", type=Path, help="where to write the executed notebook")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    if any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code"):
        print(f"{args.notebook}: commit the notebook without outputs", file=sys.stderr)
        return 1
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=args.timeout,
        resources={"metadata": {"path": str(args.notebook.resolve().parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"{args.notebook}: a cell failed:\n{e}", file=sys.stderr)
        return 1
    finally:
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, args.out)
    elapsed = time.perf_counter() - start

    first = next(c for c in nb.cells if c.cell_type == "code")
    text = "".join(o.get("text", "") for o in first.outputs if o.output_type == "stream")
    if "site-packages" not in text:
        print(f"{args.notebook}: not run against the installed wheel: {text!r}", file=sys.stderr)
        return 1
    images = sum(
        1
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    )
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"{args.notebook.name}: {cells} code cells ran in {elapsed:.1f}s, {images} figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
