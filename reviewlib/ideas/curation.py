"""The secretariat's curation applied to the pool: statements moved or split off, ideas renamed.

Decisions come checked from `reviewlib.gather.idea_decisions` (``Review.idea_decisions``), in
file order, and name statements, never idea ids, so they hold however a rebuild regroups the
rest. A statement the secretariat moved or split off takes no part in the grouping by
similarity: it is placed where the decision says. The last decision about a statement wins.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["Curation", "read_curation"]


class Curation:
    """Where the secretariat put statements, and what it called ideas."""

    def __init__(self, placed: Mapping[str, tuple[str, str]], renames: Mapping[str, str]):
        # statement → ("join", a statement of the idea to join) or ("new", key of the new idea)
        self.placed = dict(placed)
        # anchor statement → label, in the order the decisions were taken
        self.renames = dict(renames)

    def place(
        self,
        labels: np.ndarray,
        position: Mapping[str, int],
        kinds: pd.Series,
    ) -> np.ndarray:
        """Group numbers with the placed statements put where the decisions say. Statements
        split off together form one new idea (per kind); a move follows its target, also when
        the target was itself moved; a move round a circle leaves the statements on their own."""
        labels = labels.copy()
        nxt = int(labels.max()) + 1 if len(labels) else 0
        new: dict[tuple[str, str], int] = {}
        for sid, (how, where) in self.placed.items():
            if how == "new" and sid in position:
                key = (where, str(kinds.iat[position[sid]]))
                if key not in new:
                    new[key], nxt = nxt, nxt + 1
                labels[position[sid]] = new[key]
        for sid, (how, _) in self.placed.items():
            if how != "join" or sid not in position:
                continue
            seen, target = {sid}, self.placed[sid][1]
            while self.placed.get(target, ("", ""))[0] == "join" and target not in seen:
                seen.add(target)
                target = self.placed[target][1]
            if target in seen or target not in position:
                labels[position[sid]], nxt = nxt, nxt + 1
            else:
                labels[position[sid]] = labels[position[target]]
        return labels


def read_curation(decisions: pd.DataFrame | None) -> Curation:
    """The decisions of ``Review.idea_decisions`` as placements and renames."""
    placed: dict[str, tuple[str, str]] = {}
    renames: dict[str, str] = {}
    if decisions is None or len(decisions) == 0:
        return Curation(placed, renames)
    for row in decisions.itertuples(index=False):
        ids = [s for s in str(row.statement_ids).split(";") if s]
        if row.action == "rename":
            renames.pop(ids[0], None)
            renames[ids[0]] = str(row.label)
        elif row.action == "move":
            for sid in ids:
                placed.pop(sid, None)
                placed[sid] = ("join", str(row.target))
        elif row.action == "split":
            for sid in ids:
                placed.pop(sid, None)
                placed[sid] = ("new", f"split-{getattr(row, 'row', '')}-{ids[0]}")
    return Curation(placed, renames)
