"""`csi4.fhir.json`: the CSI-4 answers as a FHIR R4B transaction Bundle a clinic system can take in.

One `Questionnaire` describes the CSI-4 (Funk & Rogge 2007): four items in order with their ranges, and
a read-only total. One `QuestionnaireResponse` follows for every check-in of the bundle that exists as of
T and carries CSI-4 answers: when it was answered (`authored`, with the couple's offset), who answered
(`author` and `source`: the partner), the four answers and the total. Each request is a conditional
create (`ifNoneExist`), so sending the same bundle twice stores nothing twice.

Plain dictionaries on purpose: the product does not need a FHIR library at run time; the tests check
the result against the `fhir.resources` R4B models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from domain.vocabulary import CSI4_CUTOFF, CSI4_RANGES
from repairtrack.services.export.events import gone_ids

NAMESPACE = UUID("0b7f6a52-3c1e-5d84-a1f2-6e9d4c3b2a10")
QUESTIONNAIRE_URL = f"urn:uuid:{uuid5(NAMESPACE, 'questionnaire/csi-4/1')}"
QUESTIONNAIRE_VERSION = "1"
PARTNER_SYSTEM = "urn:repairtrack:partner"
COUPLE_SYSTEM = "urn:repairtrack:couple"
TOTAL_LINK = "csi4-total"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

# What each item asks about, in our own words (the items' wording belongs to their authors).
ITEM_TOPICS = (
    "Overall happiness with the relationship, all things considered",
    "How warm and comfortable the relationship with the partner feels",
    "How rewarding the relationship with the partner is",
    "Overall satisfaction with the relationship",
)


def entry_system(couple: str) -> str:
    return f"urn:repairtrack:couple:{couple}:entry"


def _bounded(low: int, high: int) -> list[dict[str, Any]]:
    return [{"url": MIN_VALUE, "valueInteger": low}, {"url": MAX_VALUE, "valueInteger": high}]


def questionnaire() -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {
            "linkId": f"csi4-{number}",
            "prefix": str(number),
            "text": f"{topic} (answer {low} to {high})",
            "type": "integer",
            "required": True,
            "extension": _bounded(low, high),
        }
        for number, (topic, (low, high)) in enumerate(zip(ITEM_TOPICS, CSI4_RANGES, strict=True), start=1)
    ]
    items.append(
        {
            "linkId": TOTAL_LINK,
            "text": (
                "Total: the sum of the four answers (0 to 21). A total below "
                f"{CSI4_CUTOFF:g} is the published cut-off for notable relationship dissatisfaction."
            ),
            "type": "integer",
            "readOnly": True,
            "extension": _bounded(0, sum(high for _, high in CSI4_RANGES)),
        }
    )
    return {
        "resourceType": "Questionnaire",
        "id": "csi-4",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "CSI4",
        "title": "Couples Satisfaction Index, short form (CSI-4)",
        "status": "active",
        "subjectType": ["Group"],
        "description": (
            "Four questions on how satisfied a partner is with the relationship (Funk & Rogge, 2007, "
            "Journal of Family Psychology 21(4), 572-583), as answered in repairtrack check-ins."
        ),
        "item": items,
    }


def _partner_reference(couple: str, handle: str, name: str) -> dict[str, Any]:
    return {"identifier": {"system": PARTNER_SYSTEM, "value": f"{couple}/{handle}"}, "display": name}


def response(
    check_in: Mapping[str, Any], couple: str, names: Mapping[str, str], couple_display: str
) -> dict[str, Any]:
    answers = [int(a) for a in check_in["csi4"]]
    author = _partner_reference(couple, str(check_in["by"]), names[str(check_in["by"])])
    items: list[dict[str, Any]] = [
        {"linkId": f"csi4-{n}", "answer": [{"valueInteger": value}]}
        for n, value in enumerate(answers, start=1)
    ]
    items.append({"linkId": TOTAL_LINK, "answer": [{"valueInteger": sum(answers)}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": entry_system(couple), "value": str(check_in["id"])},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": {"identifier": {"system": COUPLE_SYSTEM, "value": couple}, "display": couple_display},
        "authored": str(check_in["occurred_at"]),
        "author": author,
        "source": author,
        "item": items,
    }


def csi4_bundle(
    entries: Sequence[Mapping[str, Any]],
    *,
    couple: str,
    names: Mapping[str, str],
    made_at: datetime,
) -> dict[str, Any]:
    """The Bundle for the bundle's entries (already pseudonymized when asked): one response per live
    check-in with CSI-4 answers, in recording order."""
    gone = gone_ids(entries)
    couple_display = " and ".join(names.values())
    resources: list[dict[str, Any]] = []
    q = questionnaire()
    resources.append(
        {
            "fullUrl": f"urn:uuid:{uuid5(NAMESPACE, QUESTIONNAIRE_URL)}",
            "resource": q,
            "request": {"method": "POST", "url": "Questionnaire", "ifNoneExist": f"url={QUESTIONNAIRE_URL}"},
        }
    )
    for entry in entries:
        if entry["type"] != "check_in" or not entry.get("csi4") or entry["id"] in gone:
            continue
        answered = response(entry, couple, names, couple_display)
        system, value = entry_system(couple), str(entry["id"])
        resources.append(
            {
                "fullUrl": f"urn:uuid:{uuid5(NAMESPACE, f'{system}|{value}')}",
                "resource": answered,
                "request": {
                    "method": "POST",
                    "url": "QuestionnaireResponse",
                    "ifNoneExist": f"identifier={system}|{value}",
                },
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": made_at.isoformat(),
        "entry": resources,
    }
