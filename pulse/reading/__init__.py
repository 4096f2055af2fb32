"""Reading: the YAML tree with positions, the checks, the corpus, the parse cache, the loader, the settings."""

FREEZE_LOADS = False
"""Whether a load moves what it made out of the garbage collector's sight (gc.freeze), so that no later
collection walks it again. The one-shot console script turns it on; in a long-lived process (a test
run, a library user) it stays off: whatever cyclic garbage exists when the collector is frozen would
never be freed."""
