"""The fields of a token, shared by the core's `Token` (fastpron/_core.pyx) and
the reference's (fastpron/reference.py), so that the two stay one definition.

A cdef class cannot inherit a Python mixin, so both classes call these."""

FIELDS = ("text", "reading", "syllables", "alternatives", "kind", "start", "end", "choice", "estimated")


def as_tuple(token) -> tuple:
    """Every field, in FIELDS order: what equality, hashing and pickling compare."""
    return (token.text, token.reading, token.syllables, token.alternatives, token.kind, token.start,
            token.end, token.choice, token.estimated)


def as_dict(token) -> dict:
    """The fields as to_json writes them: lists for tuples, "estimated" only when true."""
    fields = {"text": token.text, "reading": token.reading, "syllables": list(token.syllables),
              "alternatives": list(token.alternatives), "kind": token.kind,
              "start": token.start, "end": token.end, "choice": token.choice}
    if token.estimated:
        fields["estimated"] = True
    return fields
