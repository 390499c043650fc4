"""Articles: type a text, read it back with its pronunciation in <ruby>, pick readings, download."""
