"""Plain-text renderings for the terminal: the metrics table and one line per entry."""

from __future__ import annotations

from typing import Any

from projections.figures import CSI4_CUTOFF, REFERENCES, TOO_LITTLE, trust_known
from projections.formatting import minutes, pct
from projections.formatting import number as num


def metrics_table(m: dict[str, Any]) -> str:
    partners = list(m["repair"]["by_partner"])
    repair, promises, trust = m["repair"], m["promises"], m["trust_consistency"]
    checks, bids, pn, conflicts = m["check_ins"], m["bids"], m["positive_negative"], m["conflicts"]

    def trust_text(score: float, weight: float) -> str:
        return f"{score:.0f}" if trust_known(weight) else f"{score:.0f} ({TOO_LITTLE})"

    rows: list[tuple[str, str, list[str]]] = [
        (
            "Repair acceptance",
            f"{pct(repair['acceptance_rate'])} ({repair['accepted']} of "
            f"{repair['accepted'] + repair['declined']} answered; {repair['pending']} pending)",
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
    lines = [
        f"{m['couple']}: as of {m['as_of']}, last {m['window_days']} days",
        "",
        f"{'':<22} {'together':<62} " + "  ".join(f"{h:<34}" for h in partners),
    ]
    for label, together, per in rows:
        lines.append(f"{label:<22} {together:<62} " + "  ".join(f"{p:<34}" for p in per))
    lines.append("")
    toward, balance = REFERENCES["turn_toward"], REFERENCES["positive_negative"]
    shown = [r.text("terminal") for r in (toward, balance) if r.shown(bids["total"])]
    if shown:
        lines.append(f"{REFERENCES['proxies'].text('terminal_lead')} {'; '.join(shown)}.")
    lines.append(REFERENCES["proxies"].text("terminal_caveat"))
    weekly = m["weekly"][-8:]
    if weekly:
        lines.append("")
        lines.append("week of      repairs  accepted  promises due  kept  check-ins  conflicts  trust")
        for w in weekly:
            lines.append(
                f"{w['week_start']}  {w['repairs_offered']:>7}  {pct(w['acceptance_rate']):>8}  "
                f"{w['promises_due']:>12}  {pct(w['keeping_rate']):>4}  {w['check_ins']:>9}  "
                f"{w['conflicts']:>9}  {w['trust_consistency']:>5.0f}"
            )
    return "\n".join(lines)


def entry_line(row: dict[str, Any]) -> str:
    when = row["occurred_at"].strftime("%Y-%m-%d %H:%M UTC")
    who = row.get("by") or row.get("logged_by") or ""
    details = []
    for key in ("kind", "response", "topic", "description", "ref"):
        if row.get(key):
            details.append(f"{key}={row[key]}")
    if row["type"] == "check_in":
        details.append(f"closeness={row['closeness']} trust={row['trust']}")
        if row["csi4"]:
            details.append(f"csi4={','.join(map(str, row['csi4']))}")
    if row.get("due_at"):
        details.append(f"due={row['due_at'].strftime('%Y-%m-%d %H:%M UTC')}")
    if row.get("note"):
        details.append(f"note={row['note']!r}")
    elif row.get("note_hidden"):
        details.append("note=(private)")
    mark = " [retracted]" if row["retracted"] else ""
    return f"{when}  {row['entry_id']:<12} {row['type']:<22} {who:<8} {' '.join(details)}{mark}"
