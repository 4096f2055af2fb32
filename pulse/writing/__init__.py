"""Writing: adding items, scaffolding a project, and the one atomic file writer."""
