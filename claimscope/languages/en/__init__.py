"""English: its resources for the language-neutral analysers (the parse is spaCy's English pipeline)."""
