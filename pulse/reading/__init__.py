"""Reading: the YAML tree with positions, the checks, the corpus, the parse cache, the loader, the settings."""
