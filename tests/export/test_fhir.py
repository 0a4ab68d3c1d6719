"""csi4.fhir.json: a FHIR R4B Bundle that validates, with one QuestionnaireResponse per check-in with
CSI-4 answers, whose totals agree with the metrics."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import orjson
import pytest
from fhir.resources.R4B.bundle import Bundle as FhirBundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from domain.vocabulary import CSI4_CUTOFF
from repairtrack.services.export import Bundle
from tests.export.support import aware, example_entries, lines, make_bundle


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return make_bundle(example_entries(), "ana-ben", to_day=date(2026, 4, 30), window_days=60)


def test_the_bundle_validates_against_the_r4b_models(bundle: Bundle) -> None:
    parsed = FhirBundle.model_validate(orjson.loads(bundle.files["csi4.fhir.json"]))

    assert parsed.type == "transaction"
    resources = [entry.resource for entry in parsed.entry or []]
    assert isinstance(resources[0], Questionnaire)
    assert [item.linkId for item in resources[0].item or []] == [
        "csi4-1",
        "csi4-2",
        "csi4-3",
        "csi4-4",
        "csi4-total",
    ]
    responses = [r for r in resources[1:] if isinstance(r, QuestionnaireResponse)]
    assert len(responses) == len(resources) - 1 > 0
    assert all(r.status == "completed" and r.author is not None for r in responses)


def test_one_response_per_existing_check_in_with_csi4_up_to_T(bundle: Bundle) -> None:
    fhir = orjson.loads(bundle.files["csi4.fhir.json"])
    written = lines(bundle.files["events.jsonl"])
    retracted = {e["entry"] for e in written if e["type"] == "entry_retracted"}
    expected = [
        e["id"] for e in written if e["type"] == "check_in" and e.get("csi4") and e["id"] not in retracted
    ]

    assert [e["resource"]["identifier"]["value"] for e in fhir["entry"][1:]] == expected
    for entry in fhir["entry"][1:]:
        response = entry["resource"]
        answers = [item["answer"][0]["valueInteger"] for item in response["item"]]
        assert answers[-1] == sum(answers[:4])
        assert aware(response["authored"]) <= bundle.period.as_of
        assert entry["request"]["ifNoneExist"].startswith("identifier=")


def test_the_totals_agree_with_the_metrics(bundle: Bundle) -> None:
    fhir = orjson.loads(bundle.files["csi4.fhir.json"])
    metrics = orjson.loads(bundle.files["metrics.json"])
    moment = bundle.period.as_of
    start = moment - timedelta(days=metrics["window_days"])
    totals: dict[str, list[int]] = defaultdict(list)
    for entry in fhir["entry"][1:]:
        response = entry["resource"]
        when: datetime = aware(response["authored"])
        if start < when <= moment:
            handle = response["author"]["identifier"]["value"].split("/")[1]
            totals[handle].append(response["item"][-1]["answer"][0]["valueInteger"])

    by_partner = metrics["check_ins"]["by_partner"]
    assert set(totals) <= set(by_partner)
    for handle, figures in by_partner.items():
        mine = totals.get(handle, [])
        assert figures["csi4_count"] == len(mine)
        assert figures["csi4_below_cutoff"] == sum(t < CSI4_CUTOFF for t in mine)
        if mine:
            assert figures["mean_csi4"] == pytest.approx(sum(mine) / len(mine), rel=1e-6)
        else:
            assert figures["mean_csi4"] is None
    assert sum(len(t) for t in totals.values()) > 0
