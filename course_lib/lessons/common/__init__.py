"""Helpers that several lessons share (and that are not part of the reference library)."""
