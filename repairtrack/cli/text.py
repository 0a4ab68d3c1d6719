"""Plain-text renderings for the terminal: aligned columns, the list of couples, one line per entry and
the metrics table.

Columns are as wide as their content, measured in terminal cells: a wide character (East Asian Wide or
Fullwidth) takes two, a combining mark none. Times read in the couple's time zone with its offset. The
metrics table fits 80 columns; only there are long names cut, with an ellipsis. The research figures
and their wording come from `projections.figures` (imported when the table is made, so `repairtrack
log` starts without the read side).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from projections.formatting import minutes, pct
from projections.formatting import number as num
from projections.wording import TYPE_LABELS, counted

WIDTH: Final = 80  # the metrics table fits a terminal of this many columns
NAME_WIDTH: Final = 18  # a partner's name in the metrics table, cut beyond this
GAP: Final = "  "
ELLIPSIS: Final = "…"


# --------------------------------------------------------------------------------------------------
# widths and columns
# --------------------------------------------------------------------------------------------------
def cell_width(char: str) -> int:
    """How many terminal cells one character takes: 2 for wide ones, 0 for combining marks and format
    characters (a zero-width joiner), 1 otherwise."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(cell_width(char) for char in text)


def cut(text: str, size: int) -> str:
    """`text` in at most `size` cells; a cut text ends with an ellipsis."""
    if width(text) <= size:
        return text
    kept, used = [], 0
    for char in text:
        if used + cell_width(char) > size - 1:
            break
        kept.append(char)
        used += cell_width(char)
    return "".join(kept) + ELLIPSIS


def pad(text: str, size: int, *, right: bool = False) -> str:
    fill = " " * max(0, size - width(text))
    return fill + text if right else text + fill


def columns(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> list[str]:
    """Rows as lines of aligned columns, each as wide as its widest cell (columns in `right` aligned
    to the right); the last column is not padded, so no line ends in spaces."""
    if not rows:
        return []
    flush = set(right)
    count = max(len(row) for row in rows)
    sizes = [max((width(row[i]) for row in rows if i < len(row)), default=0) for i in range(count)]
    lines = []
    for row in rows:
        cells = [
            pad(cell, sizes[i], right=i in flush) if i < len(row) - 1 or i in flush else cell
            for i, cell in enumerate(row)
        ]
        lines.append(GAP.join(cells).rstrip())
    return lines


def wrap(text: str, size: int) -> list[str]:
    """`text` in lines of at most `size` cells, broken between words (a word longer than a line is
    broken where the line ends)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while width(word) > size:  # a long word (a topic in a script without spaces) is split
            room = size - width(line) - (1 if line else 0)
            if room < 1:
                lines.append(line)
                line, room = "", size
            head = _fit(word, room)
            line = f"{line} {head}" if line else head
            lines.append(line)
            line, word = "", word[len(head) :]
        if not line:
            line = word
        elif width(line) + 1 + width(word) <= size:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def _fit(text: str, size: int) -> str:
    """The longest start of `text` that fits `size` cells (at least one character)."""
    used = 0
    for i, char in enumerate(text):
        used += cell_width(char)
        if used > size:
            return text[: max(i, 1)]
    return text


# --------------------------------------------------------------------------------------------------
# times
# --------------------------------------------------------------------------------------------------
def local_time(moment: datetime, zone: str) -> str:
    """A moment in the couple's time zone with its offset: "2026-11-02 19:30 (+01:00)"."""
    local = moment.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} ({offset[:3]}:{offset[3:]})"


# --------------------------------------------------------------------------------------------------
# couples and entries
# --------------------------------------------------------------------------------------------------
def couples_lines(found: Sequence[Mapping[str, Any]]) -> list[str]:
    """The couples of a store under a heading, in aligned columns, then how many there are."""
    rows = [["couple", "partners", "time zone", "entries"]]
    for item in found:
        a, b = item["partners"]
        rows.append(
            [
                item["handle"],
                f"{a['name']} & {b['name']}",
                item["timezone"],
                counted(item["entries"], "entry", "entries"),
            ]
        )
    return [*columns(rows), "", counted(len(found), "couple")]


def entry_cells(row: Mapping[str, Any], zone: str) -> list[str]:
    """One entry as cells: when, id, what, who, its details (then a mark when it was retracted)."""
    who = row.get("by") or row.get("logged_by") or ""
    details = []
    for key in ("kind", "response", "topic", "ref"):
        if row.get(key):
            details.append(f"{key}={row[key]}")
    if row.get("horsemen"):
        details.append(f"horsemen={','.join(row['horsemen'])}")
    if row.get("intensity") is not None:
        details.append(f"intensity={row['intensity']}")
    if row["type"] == "check_in":
        details.append(f"closeness={row['closeness']} trust={row['trust']}")
        if row.get("csi4"):
            details.append(f"csi4={','.join(map(str, row['csi4']))}")
    if row.get("due_at"):
        details.append(f"due={local_time(row['due_at'], zone)}")
    for key in ("description", "note", "reason"):
        if row.get(key):
            details.append(f"{key}={row[key]!r}")
    if not row.get("note") and row.get("note_hidden"):
        details.append("note=(private)")
    if row["retracted"]:
        details.append("[retracted]")
    label = TYPE_LABELS.get(row["type"], row["type"])
    return [local_time(row["occurred_at"], zone), row["entry_id"], label, who, " ".join(details)]


def entries_lines(rows: Sequence[Mapping[str, Any]], zone: str) -> list[str]:
    """Entries newest first in aligned columns under a heading, times in the couple's zone."""
    if not rows:
        return ["no entries yet"]
    table = [["when", "id", "entry", "by", "details"], *(entry_cells(row, zone) for row in rows)]
    return [*columns(table), "", counted(len(rows), "entry", "entries")]


def entry_line(row: Mapping[str, Any], zone: str = "UTC") -> str:
    """One entry on one line (not aligned with others; `entries_lines` aligns a list)."""
    return GAP.join(cell for cell in entry_cells(row, zone) if cell)


# --------------------------------------------------------------------------------------------------
# the metrics table
# --------------------------------------------------------------------------------------------------
def metrics_table(m: Mapping[str, Any], names: Mapping[str, str] | None = None, zone: str = "UTC") -> str:
    """The metrics object as a table of at most 80 columns: each figure for the couple, then one line
    per partner (by name, cut with an ellipsis when long), the references where they may be shown, the
    last eight weeks."""
    from projections.figures import CSI4_CUTOFF, REFERENCES, TOO_LITTLE, trust_known

    partners = list(m["repair"]["by_partner"])
    named = {h: cut((names or {}).get(h) or h, NAME_WIDTH) for h in partners}
    repair, promises, trust = m["repair"], m["promises"], m["trust_consistency"]
    checks, bids, pn, conflicts = m["check_ins"], m["bids"], m["positive_negative"], m["conflicts"]

    def trust_text(score: float, weight: float) -> str:
        return f"{score:.0f}" if trust_known(weight) else f"{score:.0f} ({TOO_LITTLE})"

    answered = repair["accepted"] + repair["declined"]
    rows: list[tuple[str, str, list[str]]] = [
        (
            "Repair acceptance",
            f"{pct(repair['acceptance_rate'])} ({repair['accepted']} of {answered} answered; "
            f"{repair['pending']} pending)",
            [f"{pct(p['acceptance_rate'])} of {p['offered']} offered" for p in repair["by_partner"].values()],
        ),
        (
            "Promise keeping",
            f"{pct(promises['keeping_rate'])} ({promises['kept']} kept, {promises['broken']} broken, "
            f"{promises['lapsed']} lapsed of {promises['due']} due; {promises['open']} open)",
            [f"{pct(p['keeping_rate'])} of {p['due']} due" for p in promises["by_partner"].values()],
        ),
        (
            "Trust consistency",
            trust_text(trust["score"], trust["weight"]) + f" (weight {trust['weight']:.1f})",
            [trust_text(trust["by_partner"][h], trust["weight_by_partner"][h]) for h in partners],
        ),
        (
            "Check-ins",
            str(checks["count"]),
            [
                f"{p['count']}: closeness {num(p['mean_closeness'])}, trust {num(p['mean_trust'])}"
                for p in checks["by_partner"].values()
            ],
        ),
        (
            f"CSI-4 (cut-off {CSI4_CUTOFF:g})",
            "",
            [
                f"mean {num(p['mean_csi4'])} over {p['csi4_count']}, {p['csi4_below_cutoff']} below"
                for p in checks["by_partner"].values()
            ],
        ),
        (
            "Turned toward bids",
            f"{pct(bids['turn_toward_rate'])} ({bids['toward']} of {bids['total']}; "
            f"away {bids['away']}, against {bids['against']})",
            [],
        ),
        (
            "Positive : negative",
            f"{pn['positive']} : {pn['negative']}"
            + (f" ({pn['ratio']:.2f} to 1)" if pn["ratio"] is not None else ""),
            [],
        ),
        (
            "Conflicts",
            f"{conflicts['started']} started, {conflicts['resolved']} resolved; "
            f"repaired {conflicts['repaired']} of {conflicts['started']}"
            + (
                f", median {minutes(conflicts['median_minutes_to_repair'])} to repair"
                if conflicts["median_minutes_to_repair"] is not None
                else ""
            ),
            [],
        ),
        ("Horsemen named", ", ".join(f"{k} {v}" for k, v in conflicts["horsemen"].items()), []),
        ("Recurring topics", ", ".join(conflicts["recurring_topics"]) or "none", []),
    ]
    labels = [label for label, _, _ in rows] + [f"  {name}" for name in named.values()]
    left = max(width(label) for label in labels)
    room = WIDTH - left - len(GAP)

    def block(label: str, value: str) -> list[str]:
        parts = wrap(value, room)
        return [(pad(label, left) + GAP + parts[0]).rstrip()] + [pad("", left) + GAP + p for p in parts[1:]]

    as_of = datetime.fromisoformat(m["as_of"].replace("Z", "+00:00"))
    heading = (
        f"{m['couple']}: as of {local_time(as_of, zone)}, over the last {counted(m['window_days'], 'day')}"
    )
    lines = [*wrap(heading, WIDTH), ""]
    for label, together, per in rows:
        lines += block(label, together)
        for handle, value in zip(partners, per, strict=False):
            lines += block(f"  {named[handle]}", value)
    lines.append("")
    toward, balance = REFERENCES["turn_toward"], REFERENCES["positive_negative"]
    shown = [r.text("terminal") for r in (toward, balance) if r.shown(bids["total"])]
    if shown:
        lines += wrap(f"{REFERENCES['proxies'].text('terminal_lead')} {'; '.join(shown)}.", WIDTH)
    lines += wrap(REFERENCES["proxies"].text("terminal_caveat"), WIDTH)
    weekly = m["weekly"][-8:]
    if weekly:
        table = [
            ["week of", "repairs", "accepted", "promises due", "kept", "check-ins", "conflicts", "trust"]
        ]
        table += [
            [
                str(w["week_start"]),
                str(w["repairs_offered"]),
                pct(w["acceptance_rate"]),
                str(w["promises_due"]),
                pct(w["keeping_rate"]),
                str(w["check_ins"]),
                str(w["conflicts"]),
                f"{w['trust_consistency']:.0f}",
            ]
            for w in weekly
        ]
        lines += ["", *columns(table, right=range(1, 8))]
    return "\n".join(lines)
