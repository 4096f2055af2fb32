"""Renderers: each returns a string; writing it somewhere is the caller's job."""
