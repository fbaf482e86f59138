"""What a warm kernel runs besides the briefs: the reset between two briefs, and a rehearsal.

A kernel's first brief of each kind runs about twice as slowly as the next one of that kind,
even once the review is read and the libraries imported: the code of each brief kind, the
regular expressions it compiles, matplotlib's first drawing of each kind of chart, IPython's
display machinery, pandas' first call of each path all cost something the first time only. A
kernel kept for the next build (`reviewlib.brief.kept`) or warm in `reviewlib watch` has time
to spare before that build comes: it rehearses, running one brief of each kind as a build
would (the same notebook cells, with the parameters the last build's manifest records for the
fullest brief of each kind), showing them to no one, then resets itself as between two briefs.
The next build's briefs then run as a kernel's second ones do.

This module runs in the kernel: it imports nothing a brief would not.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["RESET", "rehearsal_code", "rehearse"]

# Between two briefs: every name a notebook defined deleted, figures closed, matplotlib's
# settings restored, and the working folder the notebooks' own.
RESET = """\
for _k in [k for k in get_ipython().user_ns if k not in get_ipython().user_ns_hidden]:
    del get_ipython().user_ns[_k]
get_ipython().user_ns["_oh"].clear()
get_ipython().user_ns.update({{"_": "", "__": "", "___": ""}})
import os as _os, sys as _sys
_os.chdir({cwd!r})
if "matplotlib" in _sys.modules:
    import matplotlib as _mpl, matplotlib.pyplot as _plt
    _plt.close("all"); _mpl.rcdefaults(); _mpl.use("Agg")
for _k in [k for k in get_ipython().user_ns if k not in get_ipython().user_ns_hidden]:
    del get_ipython().user_ns[_k]
"""


WANTED = "wanted"  # the file, in a kept kernel's private folder, of a build that takes it over


def rehearsal_code(notebooks: str, outputs: str, folder: str = "") -> str:
    """What a kernel runs to rehearse the briefs last built into `outputs` (defines no name);
    with `folder` (a kept kernel's private folder), it stops between two briefs once a build
    wants the kernel (`WANTED` is there)."""
    args = [str(Path(notebooks).resolve()), str(Path(outputs).resolve())]
    if folder:
        args.append(str(Path(folder) / WANTED))
    call = ", ".join(json.dumps(a) for a in args)
    return f"__import__('reviewlib.brief.rehearsal', fromlist=['rehearse']).rehearse({call})\n"


def _cells(notebook: Path, parameters: dict[str, str]) -> list[str]:
    """The code of a brief notebook's cells, its parameters set after its parameters cell (as
    papermill sets them)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    given = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.append(cell.source)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cells.append(given)
    return cells


def _fullest(records: dict[str, dict]) -> list[dict]:
    """Of each notebook's briefs in the manifest, the one with the most words: the brief of
    that kind that goes down most of its paths (quotes, figures, annex)."""
    best: dict[str, dict] = {}
    for brief_id in sorted(records):
        record = records[brief_id]
        if record.get("status") not in ("built", "skipped") or not record.get("notebook"):
            continue
        held = best.get(record["notebook"])
        if held is None or record.get("words", 0) > held.get("words", 0):
            best[record["notebook"]] = record
    return [best[notebook] for notebook in sorted(best)]


def rehearse(notebooks: str, outputs: str, wanted: str = "") -> list[str]:
    """Run, in this kernel, the fullest brief of each kind the last build of `outputs` made
    (with the parameters its manifest records), as a build would, and reset; returns the briefs
    rehearsed. A brief that fails stops only its own rehearsal (a build meets the same error and
    says so); nothing is written, nothing is shown to anyone. Once the file `wanted` exists (a
    build is taking the kernel over), no further brief is rehearsed: the build waits for one
    brief at most."""
    from IPython import get_ipython

    from reviewlib.brief.manifest import read_manifest

    shell = get_ipython()
    if shell is None:  # not in a kernel: nothing to warm
        return []
    try:
        records = read_manifest(Path(outputs))
    except (OSError, ValueError):
        return []
    rehearsed = []
    reset = RESET.format(cwd=notebooks)
    for record in _fullest(records):
        if wanted and Path(wanted).exists():
            break
        shell.run_cell(reset, store_history=False, silent=True)
        try:
            cells = _cells(Path(record["notebook"]), dict(record.get("parameters") or {}))
        except (OSError, ValueError):
            continue
        for code in cells:
            if not shell.run_cell(code, store_history=False, silent=True).success:
                break
        else:
            rehearsed.append(record["brief_id"])
    shell.run_cell(reset, store_history=False, silent=True)
    return rehearsed
