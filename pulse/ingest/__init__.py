"""Ingestion: the curator's feeds into the inbox (sources -> HTTP -> feed readers -> clean entries -> suggestions).

Each third-party library is used in one module: requests in `http`, feedparser in
`feeds`, w3lib in `clean`, sqlite3 in `inbox`. Nothing here imports typer or rich.
"""
