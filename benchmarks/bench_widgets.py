"""How live the 10_score panel feels: seconds from a moved slider to redrawn tables, on the demo review.

Prints the median and worst of several moves, split into the three steps of a recompute:
the changed rubric (checked as rubric.yml is), scoring with the criteria matched once, and the
HTML tables. Also what matching would add if it were redone on every move.
"""

from __future__ import annotations

import statistics
import time

from reviewlib import paths
from reviewlib.gather.review import load_review
from reviewlib.scoring import rubric_edit
from reviewlib.scoring.scores import match_criteria, score_statements
from reviewlib.workbench import score_panels as scorepanel

MOVES = (-2.0, -1.5, -0.5, -2.5, -1.0, -3.0, -1.25)


def _timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def main() -> None:
    review = load_review(paths.INPUTS)
    panel = scorepanel.ScorePanel(review)
    totals, steps = [], {"rubric": [], "score": [], "tables": [], "matching": []}
    for value in MOVES:
        panel.kind_sliders["gap"].value = value
        totals.append(panel.last_seconds)
        changes = panel.changes()
        seconds, rubric = _timed(lambda c=changes: rubric_edit.rubric_with(panel.saved, c))
        steps["rubric"].append(seconds)
        seconds, _ = _timed(lambda r=rubric: panel._score(r))
        steps["score"].append(seconds)
        seconds, _ = _timed(panel.render)
        steps["tables"].append(seconds)
        seconds, _ = _timed(lambda r=rubric: match_criteria(review.statements, r))
        steps["matching"].append(seconds)
    full, _ = _timed(
        lambda: score_statements(
            review.statements, review.reference, panel.rubric, meeting_year=panel.meeting_year
        )
    )
    print(
        f"demo review: {len(review.statements)} statements, {len(panel.scores.country_scores)} "
        f"Member State x pillar scores, {len(MOVES)} moves of a slider"
    )
    print(
        f"  recompute (what the officer waits for): median {statistics.median(totals):.3f} s, "
        f"worst {max(totals):.3f} s"
    )
    for name, values in steps.items():
        label = "matching (not redone)" if name == "matching" else name
        print(f"    {label:<22} median {statistics.median(values):.3f} s")
    print(f"  scoring with matching redone, once: {full:.3f} s")


if __name__ == "__main__":
    main()
