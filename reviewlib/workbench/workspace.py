"""The officers' working copies of the notebooks, so that using the workbook never changes a
tracked file.

`make lab` opens JupyterLab on `workspace/` (git-ignored), which holds a copy of each notebook of
`notebooks/`: outputs, widget state and JupyterLab's autosave land in the copies, and the
committed notebooks, which the build runs and the tests read, stay as they are. A copy is
refreshed when the project's notebook changes, unless the officer edited its cells; then it is
kept and the officer is told.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import nbformat

from reviewlib import paths
from reviewlib.files import atomic_write_text

__all__ = ["prepare"]


def _cells_digest(nb: nbformat.NotebookNode) -> str:
    cells = [(c.cell_type, c.source) for c in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def _copy(nb: nbformat.NotebookNode, target: Path) -> None:
    nb = nbformat.from_dict(nb)
    nb.metadata["reviewlib"] = {"copied_from": _cells_digest(nb)}
    atomic_write_text(target, nbformat.writes(nb))


def prepare(workspace: Path = paths.WORKSPACE, notebooks: Path = paths.NOTEBOOKS) -> list[str]:
    """Copy every notebook into the workspace, or refresh a copy whose original changed; returns
    a line for each copy made, refreshed or kept as the officer edited it."""
    workspace, lines = Path(workspace), []
    workspace.mkdir(parents=True, exist_ok=True)
    for original in sorted(Path(notebooks).glob("*.ipynb")):
        nb = nbformat.read(original, as_version=4)
        target = workspace / original.name
        if not target.exists():
            _copy(nb, target)
            lines.append(f"copied {original.name}")
            continue
        copy = nbformat.read(target, as_version=4)
        made_from = copy.metadata.get("reviewlib", {}).get("copied_from")
        if made_from == _cells_digest(nb):
            continue
        if made_from == _cells_digest(copy):
            _copy(nb, target)
            lines.append(f"updated {original.name} (the project's notebook changed)")
        else:
            lines.append(
                f"kept your edited {target}: the project's {original} changed too; "
                "delete your copy to get the new one"
            )
    return lines


if __name__ == "__main__":
    for line in prepare(*(Path(a) for a in sys.argv[1:3])):
        print(line)
