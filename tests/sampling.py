"""How much of the long input matrices a run asks.

``PRISM_FULL_MATRIX=1`` asks everything: every query parameter with every hostile value
(``test_api_input``), every leak door by every identity (``test_leak_matrix``), 400
generated queries per API version (``test_api_fuzz``), and two random archives where
``test_related_index`` compares the related articles with the old algorithm's. One CI job
sets it (docs/development.md, "What CI tests"). Without it, a fixed sample in which every
parameter, value, door and identity still appears, 50 generated queries per version and
one random archive; ``PRISM_FUZZ_EXAMPLES`` sets the fuzzing's count either way.
"""

import os

FULL = os.environ.get("PRISM_FULL_MATRIX", "") not in ("", "0")

#: Without the full matrix, one combination in this many is asked.
EVERY = 4


def pairs(rows, columns):
    """(row, column) pairs: all of them with the full matrix, else a diagonal band that
    still holds every row and every column."""
    return [
        (row, column)
        for i, row in enumerate(rows)
        for j, column in enumerate(columns)
        if FULL or (i + j) % EVERY == 0
    ]


def fuzz_examples():
    return int(os.environ.get("PRISM_FUZZ_EXAMPLES") or (400 if FULL else 50))
