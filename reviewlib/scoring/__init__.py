"""Score: what the evidence says against the GPA's commitments and pillars — the rubric, weights,
criteria, GLOTIP rules, coverage, country evidence profiles, summaries and the balance of voices."""
