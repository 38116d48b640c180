"""Captures of what a run saw: recorded, scrubbed, scanned for leaks and replayed offline."""
