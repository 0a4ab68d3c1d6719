"""Who is asking: every read and write of the pages, the HTTP API and the export names its actor, and the one
service layer (`repairtrack.services.couples`) applies SPEC section 8's rules to it.

- `operator`: the command line, whoever holds the data folder; not bound by section 8.
- `open`: a store without accounts, on this machine only: whoever is at the shared screen says who they are,
  and "private" only hides a note on that screen.
- `partner` / `counselor`: a signed-in account (accounts mode), bound by section 8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["operator", "open", "partner", "counselor"]


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    account: str | None = None  # the account's name; None for the operator and in open mode
    name: str | None = None  # the account's display name
    couple: str | None = None  # a partner's couple; in open mode the couple chosen on the shared screen
    partner: str | None = None  # a partner's handle; in open mode the partner who said "this is me"

    @property
    def bound(self) -> bool:
        """Whether SPEC section 8's rules apply (a signed-in account)."""
        return self.kind in ("partner", "counselor")


OPERATOR = Actor("operator")
