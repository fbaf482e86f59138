"""Distil: proposals normalised, grouped when they say the same thing, ranked in one pool of ideas,
and the elements for the zero draft."""
