"""Entry streams for the export tests, built with the shared builders (times are hours after T0, a
Monday 10:00 UTC = 11:00 in Berlin)."""

from __future__ import annotations

from typing import Any

from tests.support import entries as e


def renegotiation_retracted_and_redone() -> list[dict[str, Any]]:
    """A promise renegotiated, the renegotiation retracted the next morning and done again, then kept."""
    return [
        e.registered(),
        e.check_in("c1", 1, by="ana", csi4=[4, 3, 3, 3]),
        e.promise("p1", 2, due=60, by="ben"),
        e.renegotiated("rn1", "p1", 10, due=100),  # Monday 21:00 Berlin
        e.retracted("x1", "rn1", 20),  # Tuesday 07:00
        e.renegotiated("rn2", "p1", 21, due=80),  # Tuesday 08:00
        e.kept("k1", "p1", 70),  # Thursday 09:00
        e.check_in("c2", 75, by="ben", csi4=[2, 2, 2, 2]),
        e.bid("b1", 76, by="ana"),
    ]


def conflict_retracted() -> list[dict[str, Any]]:
    """A conflict with an accepted repair attempt and a resolution; the conflict is retracted two days
    later (the attempt stays, unlinked; the resolution goes with it) and another one is logged."""
    return [
        e.registered(),
        e.conflict("k1", 1, by="ana", horsemen=["criticism", "contempt"], topic="money"),
        e.offer("o1", 2, by="ben", conflict="k1"),
        e.accepted("a1", "o1", 3),
        e.resolved("r1", "k1", 4),
        e.appreciation("ap1", 5, by="ben"),
        e.retracted("x1", "k1", 50),  # Wednesday 13:00 Berlin
        e.conflict("k2", 51, by="ben", topic="chores", horsemen=["stonewalling"]),
        e.offer("o2", 52, by="ana", conflict="k2"),
        e.accepted("a2", "o2", 53),
        e.check_in("c1", 54, by="ana", csi4=[5, 4, 4, 4]),
    ]


def with_notes() -> list[dict[str, Any]]:
    """A couple with distinctive names, names in free text and ids, one normal note, one private
    note and a retraction reason, each with a marker found nowhere else."""
    partners = [{"handle": "wren", "name": "Wrenna Holm"}, {"handle": "otto", "name": "Otto Brandt"}]
    couple = "wren-otto"

    def of(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "couple": couple}

    return [
        of(e.registered(couple, partners=partners)),
        of(e.conflict("wren-k1", 1, by="wren", topic="Otto's mother", horsemen=["criticism"])),
        of(e.offer("otto-o1", 2, by="otto", conflict="wren-k1", note="Otto said sorry to Wrenna")),
        of(e.accepted("a1", "otto-o1", 3)),
        of(e.promise("p1", 4, due=30, by="otto", description="call Wrenna when running late")),
        of(e.kept("k1", "p1", 20, note="kept it, WREN noticed")),
        of(e.appreciation("ap1", 21, by="wren", note="MARKER-NORMAL-5c2e thanks Otto")),
        of(e.check_in("c1", 22, by="otto", csi4=[5, 4, 4, 3], note="MARKER-PRIVATE-9d1f", private=True)),
        of(e.check_in("c2", 23, by="wren", csi4=[3, 2, 2, 2])),
        of(e.bid("b1", 24, by="wren")),
        of(e.retracted("x1", "b1", 25, reason="MARKER-REASON-7a4b wren-otto typo")),
    ]
