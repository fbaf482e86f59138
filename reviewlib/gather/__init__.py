"""Gather: the review's settings and reference facts, contributions read and checked row by row
into a ledger, the secretariat's decisions, and the loaded `Review`."""
