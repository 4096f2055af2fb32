"""The pure core: select, rank, compose issues, trends (no I/O)."""
