"""Reading what the command line printed."""

from __future__ import annotations

import re

# `repairtrack log ...` and `register` end their one line with the stored entry's id.
_STORED = re.compile(r"stored .+, id (?P<id>[A-Za-z0-9_.:-]{1,64})")


def printed_id(stdout: str) -> str:
    """The id of the entry a `log` or `register` command stored, read from its line
    ("stored a check-in by ana at 2026-11-02 19:30 (+01:00), id 3f2a..."); fails on any other output."""
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout
    found = _STORED.fullmatch(lines[0])
    assert found is not None, stdout
    return found["id"]
