"""漢字字典: the lexicon search page, the 反切 tool, and the user dictionary (admin, TSV commands)."""
