"""Entry streams for the export tests, built with the shared builders (times are hours after T0, a
Monday 10:00 UTC = 11:00 in Berlin)."""

from __future__ import annotations

from typing import Any

from tests.support.entries import (
    accepted,
    appreciation,
    bid,
    check_in,
    conflict,
    kept,
    offer,
    promise,
    registered,
    renegotiated,
    resolved,
    retracted,
)


def renegotiation_retracted_and_redone() -> list[dict[str, Any]]:
    """A promise renegotiated, the renegotiation retracted the next morning and done again, then kept."""
    return [
        registered(),
        check_in("c1", 1, by="ana", csi4=[4, 3, 3, 3]),
        promise("p1", 2, due=60, by="ben"),
        renegotiated("rn1", "p1", 10, due=100),  # Monday 21:00 Berlin
        retracted("x1", "rn1", 20),  # Tuesday 07:00
        renegotiated("rn2", "p1", 21, due=80),  # Tuesday 08:00
        kept("k1", "p1", 70),  # Thursday 09:00
        check_in("c2", 75, by="ben", csi4=[2, 2, 2, 2]),
        bid("b1", 76, by="ana"),
    ]


def conflict_retracted() -> list[dict[str, Any]]:
    """A conflict with an accepted repair attempt and a resolution; the conflict is retracted two days
    later (the attempt stays, unlinked; the resolution goes with it) and another one is logged."""
    return [
        registered(),
        conflict("k1", 1, by="ana", horsemen=["criticism", "contempt"], topic="money"),
        offer("o1", 2, by="ben", conflict="k1"),
        accepted("a1", "o1", 3),
        resolved("r1", "k1", 4),
        appreciation("ap1", 5, by="ben"),
        retracted("x1", "k1", 50),  # Wednesday 13:00 Berlin
        conflict("k2", 51, by="ben", topic="chores", horsemen=["stonewalling"]),
        offer("o2", 52, by="ana", conflict="k2"),
        accepted("a2", "o2", 53),
        check_in("c1", 54, by="ana", csi4=[5, 4, 4, 4]),
    ]


def with_notes() -> list[dict[str, Any]]:
    """A couple with distinctive names, names in free text and ids, one normal note, one private
    note and a retraction reason, each with a marker found nowhere else."""
    partners = [{"handle": "wren", "name": "Wrenna Holm"}, {"handle": "otto", "name": "Otto Brandt"}]
    couple = "wren-otto"

    def of(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "couple": couple}

    return [
        of(registered(couple, partners=partners)),
        of(conflict("wren-k1", 1, by="wren", topic="Otto's mother", horsemen=["criticism"])),
        of(offer("otto-o1", 2, by="otto", conflict="wren-k1", note="Otto said sorry to Wrenna")),
        of(accepted("a1", "otto-o1", 3)),
        of(promise("p1", 4, due=30, by="otto", description="call Wrenna when running late")),
        of(kept("k1", "p1", 20, note="kept it, WREN noticed")),
        of(appreciation("ap1", 21, by="wren", note="MARKER-NORMAL-5c2e thanks Otto")),
        of(check_in("c1", 22, by="otto", csi4=[5, 4, 4, 3], note="MARKER-PRIVATE-9d1f", private=True)),
        of(check_in("c2", 23, by="wren", csi4=[3, 2, 2, 2])),
        of(bid("b1", 24, by="wren")),
        of(retracted("x1", "b1", 25, reason="MARKER-REASON-7a4b wren-otto typo")),
    ]
