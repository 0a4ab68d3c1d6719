"""Every rule of SPEC section 3, refused side and accepted side, as given / when / then on the
application. Each case names its rule code; `test_every_rule_has_both_sides` fails when a code of
`domain.rules.RULES` lacks a refused case or an accepted case.

An entry comes as a mapping (the forms, the API), as one line of a file (bytes), or on standard input
(`Stdin`); the window of days every metric is asked over is checked as a `Window`."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from domain.application import RepairTrack
from domain.errors import BatchRefused, EntryRefused
from domain.limits import MAX_LINE_BYTES, window_problem
from domain.rules import RULES
from repairtrack.services.importing import read_jsonl, read_stdin
from tests.conftest import NOW
from tests.support import entries as e
from tests.support.aggregate import aggregate


@dataclass(frozen=True)
class Stdin:
    """`repairtrack import -` with these bytes on standard input; None: standard input is closed."""

    content: bytes | None


@dataclass(frozen=True)
class Window:
    """A window of this many days asked for (`--window-days`, the API's `window_days`)."""

    days: int


@dataclass
class Case:
    says: str  # the behaviour, in words: becomes the test id
    code: str
    when: dict[str, Any] | bytes | Stdin | Window
    given: list[dict[str, Any]] = field(default_factory=list)
    field: str | None = None  # the field the refusal must name
    stores: int = 1  # entries stored when accepted (a window stores none)

    def __post_init__(self) -> None:
        self.given = [e.registered(), *self.given]


LONG = "x" * 2000
CHECK_IN = json.dumps(e.check_in("c1")).encode()


def padded(line: bytes, size: int) -> bytes:
    """The line with trailing spaces (white space JSON allows) up to `size` bytes."""
    return line + b" " * (size - len(line))


# One case a line, a table: what it says, the rule code, the entry; then what came before and the field named.
# fmt: off
REFUSED = [
    Case("a line that is not JSON is refused", "entry.not_json", b'{"type": "check_in",'),
    Case("a JSON list is not an entry", "entry.not_object", b"[1, 2]", field="entry"),
    Case("an unknown type is refused", "type.unknown", e.entry("hug_given", "h1"), field="type"),
    Case("a missing type is refused", "field.missing", {"couple": "ana-ben"}, field="type"),
    Case("an unknown field is refused", "field.unknown", e.check_in("c1", mood="fine"), field="mood"),
    Case("private on an entry type without a note is an unknown field", "field.unknown", e.promise("p1", private=True), field="private"),
    Case("a missing required field is refused", "field.missing", e.check_in("c1", trust=None), field="trust"),
    Case("null counts as absent", "field.missing", e.check_in("c1", by=None), field="by"),
    Case("a missing occurred_at is refused", "field.missing", e.check_in("c1", occurred_at=None), field="occurred_at"),
    Case("a topic must be a string", "field.not_string", e.conflict("k1", topic=5), field="topic"),
    Case("5.0 is not an integer", "field.not_integer", e.conflict("k1", intensity=3.0), field="intensity"),
    Case("true is not an integer", "field.not_integer", e.check_in("c1", trust=True), field="trust"),
    Case("a csi4 answer must be an integer", "field.not_integer", e.check_in("c1", csi4=[1, 2, 3, 4.0]), field="csi4"),
    Case("private must be a boolean", "field.not_boolean", e.check_in("c1", note="n", private="yes"), field="private"),
    Case("horsemen must be a list", "field.not_list", e.conflict("k1", horsemen="contempt"), field="horsemen"),
    Case("closeness above 10 is refused", "field.out_of_range", e.check_in("c1", closeness=11), field="closeness"),
    Case("trust below 1 is refused", "field.out_of_range", e.check_in("c1", trust=0), field="trust"),
    Case("intensity above 5 is refused", "field.out_of_range", e.conflict("k1", intensity=6), field="intensity"),
    Case("the first csi4 answer is at most 6", "field.out_of_range", e.check_in("c1", csi4=[7, 0, 0, 0]), field="csi4"),
    Case("the second csi4 answer is at most 5", "field.out_of_range", e.check_in("c1", csi4=[0, 6, 0, 0]), field="csi4"),
    Case("a negative csi4 answer is refused", "field.out_of_range", e.check_in("c1", csi4=[0, 0, 0, -1]), field="csi4"),
    Case("an unknown repair kind is refused", "field.not_a_choice", e.offer("o1", kind="hug"), field="kind"),
    Case("an unknown bid response is refused", "field.not_a_choice", e.bid("b1", response="ignored"), field="response"),
    Case("an unknown horseman is refused", "field.not_a_choice", e.conflict("k1", horsemen=["sarcasm"]), field="horsemen"),
    Case("a handle with capitals is refused", "handle.pattern", e.registered("Ana-Ben"), field="couple"),
    Case("a handle starting with a dash is refused", "handle.pattern", e.registered("-ab"), field="couple"),
    Case("a handle of 41 characters is refused", "handle.pattern", e.registered("a" * 41), field="couple"),
    Case("a by handle must match the pattern", "handle.pattern", e.check_in("c1", by="Ana"), field="by"),
    Case("an id with a space is refused", "id.pattern", e.check_in("a b"), field="id"),
    Case("an id of 65 characters is refused", "id.pattern", e.check_in("i" * 65), field="id"),
    Case("an empty id is refused", "id.pattern", e.check_in(""), field="id"),
    Case("a time that is not ISO-8601 is refused", "time.invalid", e.check_in("c1", occurred_at="yesterday"), field="occurred_at"),
    Case("a time without offset is refused", "time.no_offset", e.check_in("c1", occurred_at="2026-03-02T10:00:00"), field="occurred_at"),
    Case("a line of more than 1 MiB is refused", "entry.line_too_long", padded(CHECK_IN, MAX_LINE_BYTES + 1), field="entry"),
    Case("a repeated key is refused, never last one wins", "entry.duplicate_key", CHECK_IN[:-1] + b', "trust": 9}', field="trust"),
    Case("a repeated key inside a partner is refused", "entry.duplicate_key", json.dumps(e.registered("cd-ef")).encode().replace(b'"name": "Ben"', b'"name": "Ben", "name": "Ana"'), field="name"),
    Case("a line in another encoding than UTF-8 is refused", "entry.not_utf8", json.dumps(e.check_in("c1", note="caf\u00e9"), ensure_ascii=False).encode("latin-1"), field="entry"),
    Case("a byte order mark is refused", "entry.byte_order_mark", b"\xef\xbb\xbf" + CHECK_IN, field="entry"),
    Case("NUL bytes are refused", "entry.nul_byte", CHECK_IN + b"\0", field="entry"),
    Case("NUL bytes alone are refused", "entry.nul_byte", b"\0" * 64, field="entry"),
    Case("an occurred_at before 2000 is refused", "time.out_of_range", e.check_in("c1", occurred_at="1999-12-31T23:59:59Z"), field="occurred_at"),
    Case("an occurred_at in year 1 is refused", "time.out_of_range", e.check_in("c1", occurred_at="0001-06-01T00:00:00Z"), field="occurred_at"),
    Case("a due_at in 2100 is refused", "time.out_of_range", e.promise("p1", due_at="2100-01-01T00:00:00Z"), field="due_at"),
    Case("a renegotiated due_at in year 9999 is refused", "time.out_of_range", {**e.renegotiated("n1", "p1"), "due_at": "9999-12-31T23:59:59Z"}, given=[e.promise("p1")], field="due_at"),
    Case("a closed standard input is refused", "input.closed", Stdin(None), field="stdin"),
    Case("an empty standard input is refused", "input.empty", Stdin(b""), field="stdin"),
    Case("a window of 0 days is refused", "window.out_of_range", Window(0), field="window_days"),
    Case("a window of 3661 days is refused", "window.out_of_range", Window(3661), field="window_days"),
    Case("a due_at without offset is refused", "time.no_offset", e.promise("p1", due_at="2026-03-09T10:00:00"), field="due_at"),
    Case("a tab in a note is refused, not stripped", "text.control_char", e.check_in("c1", note="fine\tthanks"), field="note"),
    Case("a carriage return in a description is refused", "text.control_char", e.promise("p1", description="a\r\nb"), field="description"),
    Case("a trailing control character is refused before trimming", "text.control_char", e.check_in("c1", note="fine\x07"), field="note"),
    Case("a note of 2,001 characters is refused", "text.too_long", e.check_in("c1", note=LONG + "y"), field="note"),
    Case("a reason of 2,001 characters is refused", "text.too_long", e.retracted("r1", "reg", reason=LONG + "y"), field="reason"),
    Case("an empty description is refused", "text.empty", e.promise("p1", description="   "), field="description"),
    Case("an empty partner name is refused", "text.empty", e.registered("c2", partners=[{"handle": "a", "name": " "}, {"handle": "b", "name": "B"}]), field="partners"),
    Case("a topic of 61 characters is refused", "topic.length", e.conflict("k1", topic="t" * 61), field="topic"),
    Case("a blank topic is refused", "topic.length", e.conflict("k1", topic="   "), field="topic"),
    Case("a horseman named twice is refused", "horsemen.duplicate", e.conflict("k1", horsemen=["contempt", "contempt"]), field="horsemen"),
    Case("csi4 with three answers is refused", "csi4.shape", e.check_in("c1", csi4=[1, 2, 3]), field="csi4"),
    Case("an unknown time zone is refused", "timezone.unknown", e.registered("c2", timezone="Mars/Olympus"), field="timezone"),
    Case("a folder of the zone database is not a zone", "timezone.unknown", e.registered("c2", timezone="America"), field="timezone"),
    Case("one partner is not enough", "partners.shape", e.registered("c2", partners=[{"handle": "a", "name": "A"}]), field="partners"),
    Case("a partner needs a name", "partners.shape", e.registered("c2", partners=[{"handle": "a"}, {"handle": "b", "name": "B"}]), field="partners"),
    Case("a partner has no other fields", "partners.shape", e.registered("c2", partners=[{"handle": "a", "name": "A", "age": 3}, {"handle": "b", "name": "B"}]), field="partners"),
    Case("two partners with one handle are refused", "partners.same_handle", e.registered("c2", partners=[{"handle": "a", "name": "A"}, {"handle": "a", "name": "B"}]), field="partners"),
    Case("a private note without an author is refused", "note.private_without_author", e.kept("k2", "p1", note="did it", private=True), given=[e.promise("p1")], field="note"),
    Case("an entry more than 5 minutes after now is refused", "occurred_at.in_future", e.check_in("c1", occurred_at=(NOW.replace(minute=5, second=1)).isoformat()), field="occurred_at"),
    Case("a handle already registered is refused", "couple.taken", e.registered(entry_id="again"), field="couple"),
    Case("an entry of an unregistered couple is refused", "couple.unknown", e.check_in("c1", couple="nobody"), field="couple"),
    Case("by must be a partner of the couple", "partner.unknown", e.check_in("c1", by="zed"), field="by"),
    Case("logged_by must be a partner of the couple", "partner.unknown", e.resolved("r1", "k1", logged_by="zed"), given=[e.conflict("k1")], field="logged_by"),
    Case("logged_by at registration must be one of the partners", "partner.unknown", e.registered("c2", logged_by="zed"), field="logged_by"),
    Case("an id used before is refused", "id.taken", e.check_in("c1"), given=[e.check_in("c1")], field="id"),
    Case("a retracted id stays taken", "id.taken", e.check_in("c1"), given=[e.check_in("c1"), e.retracted("r1", "c1")], field="id"),
    Case("the registration's id is taken too", "id.taken", e.check_in("reg"), field="id"),
    Case("resolving a conflict that does not exist is refused", "ref.unknown", e.resolved("r1", "nope"), field="conflict"),
    Case("answering an attempt that does not exist is refused", "ref.unknown", e.accepted("a1", "nope"), field="attempt"),
    Case("keeping a promise that does not exist is refused", "ref.unknown", e.kept("k1", "nope"), field="promise"),
    Case("retracting an entry that does not exist is refused", "ref.unknown", e.retracted("r1", "nope"), field="entry"),
    Case("an offer naming a missing conflict is refused", "ref.unknown", e.offer("o1", conflict="nope"), field="conflict"),
    Case("an attempt must be a repair offer", "ref.wrong_type", e.accepted("a1", "c1"), given=[e.check_in("c1")], field="attempt"),
    Case("a promise must be a promise_made", "ref.wrong_type", e.kept("k1", "o1"), given=[e.offer("o1")], field="promise"),
    Case("a conflict must be a conflict_started", "ref.wrong_type", e.resolved("r1", "reg"), field="conflict"),
    Case("keeping a retracted promise is refused", "ref.retracted", e.kept("k1", "p1"), given=[e.promise("p1"), e.retracted("r1", "p1")], field="promise"),
    Case("the resolution of a retracted conflict is gone with it", "ref.retracted", e.resolved("x2", "k1", hours=3), given=[e.conflict("k1"), e.resolved("x1", "k1"), e.retracted("r1", "k1")], field="conflict"),
    Case("an offer cannot name a retracted conflict", "ref.retracted", e.offer("o1", hours=1, conflict="k1"), given=[e.conflict("k1"), e.retracted("r1", "k1")], field="conflict"),
    Case("resolving a resolved conflict is refused", "conflict.already_resolved", e.resolved("x2", "k1", hours=2), given=[e.conflict("k1"), e.resolved("x1", "k1")], field="conflict"),
    Case("an offer cannot name a resolved conflict", "conflict.already_resolved", e.offer("o1", hours=0.5, conflict="k1"), given=[e.conflict("k1"), e.resolved("x1", "k1")], field="conflict"),
    Case("a resolution before the conflict started is refused", "conflict.before_start", e.resolved("x1", "k1", hours=-0.01), given=[e.conflict("k1")], field="occurred_at"),
    Case("an offer cannot name a conflict that started after it", "conflict.starts_after_offer", e.offer("o1", hours=-1, conflict="k1"), given=[e.conflict("k1")], field="conflict"),
    Case("an attempt answered once cannot be answered again", "attempt.already_answered", e.declined("a2", "o1", hours=2), given=[e.offer("o1"), e.accepted("a1", "o1")], field="attempt"),
    Case("an outcome before the offer is refused", "attempt.before_offer", e.accepted("a1", "o1", hours=-1), given=[e.offer("o1")], field="occurred_at"),
    Case("a promise due when it is made is refused", "promise.due_not_after_made", e.promise("p1", hours=5, due=5), field="due_at"),
    Case("a renegotiation must set a due time after itself", "promise.due_not_after_made", e.renegotiated("n1", "p1", hours=2, due=2), given=[e.promise("p1")], field="due_at"),
    Case("keeping a broken promise is refused", "promise.already_settled", e.kept("k2", "p1", hours=3), given=[e.promise("p1"), e.broken("b1", "p1")], field="promise"),
    Case("renegotiating a kept promise is refused", "promise.already_settled", e.renegotiated("n1", "p1", hours=3), given=[e.promise("p1"), e.kept("k1", "p1")], field="promise"),
    Case("keeping a released promise is refused", "promise.released", e.kept("k1", "p1", hours=3), given=[e.promise("p1"), e.released("l1", "p1")], field="promise"),
    Case("releasing twice is refused", "promise.released", e.released("l2", "p1", hours=3), given=[e.promise("p1"), e.released("l1", "p1")], field="promise"),
    Case("a keep before the promise was made is refused", "promise.before_made", e.kept("k1", "p1", hours=-1), given=[e.promise("p1")], field="occurred_at"),
    Case("a release before the promise was made is refused", "promise.before_made", e.released("l1", "p1", hours=-1), given=[e.promise("p1")], field="occurred_at"),
    Case("a renegotiation before the latest renegotiation is refused", "promise.before_renegotiation", e.renegotiated("n2", "p1", hours=4, due=60), given=[e.promise("p1"), e.renegotiated("n1", "p1", hours=5, due=50)], field="occurred_at"),
    Case("a promise cannot be renegotiated after its due time passed", "promise.past_due", e.renegotiated("n1", "p1", hours=25, due=50), given=[e.promise("p1", due=24)], field="occurred_at"),
    Case("the current due time is the renegotiated one", "promise.past_due", e.renegotiated("n2", "p1", hours=31, due=60), given=[e.promise("p1", due=24), e.renegotiated("n1", "p1", hours=2, due=30)], field="occurred_at"),
    Case("a lapsed promise cannot be released", "promise.release_after_due", e.released("l1", "p1", hours=24.5), given=[e.promise("p1", due=24)], field="occurred_at"),
    Case("a retracted renegotiation gives back the old due time", "promise.release_after_due", e.released("l1", "p1", hours=30), given=[e.promise("p1", due=24), e.renegotiated("n1", "p1", hours=2, due=48), e.retracted("r1", "n1")], field="occurred_at"),
    Case("the registration cannot be retracted", "retraction.not_retractable", e.retracted("r1", "reg"), field="entry"),
    Case("a retraction cannot be retracted", "retraction.not_retractable", e.retracted("r2", "r1", hours=3), given=[e.check_in("c1"), e.retracted("r1", "c1")], field="entry"),
    Case("an entry cannot be retracted twice", "retraction.already_retracted", e.retracted("r2", "c1", hours=3), given=[e.check_in("c1"), e.retracted("r1", "c1")], field="entry"),
    Case("the outcome of a retracted offer counts as retracted", "retraction.already_retracted", e.retracted("r2", "a1", hours=3), given=[e.offer("o1"), e.accepted("a1", "o1"), e.retracted("r1", "o1")], field="entry"),
]
# fmt: on

# fmt: off
ACCEPTED = [
    Case("a valid line is stored", "entry.not_json", b'{"type": "bid_made", "couple": "ana-ben", "occurred_at": "2026-03-02T10:00:00Z", "by": "ana", "response": "toward"}'),
    Case("an object is an entry", "entry.not_object", e.check_in("c1")),
    Case("every entry type is known", "type.unknown", e.appreciation("a1")),
    Case("private may come with a note", "field.unknown", e.check_in("c1", note="n", private=True)),
    Case("optional fields may be null", "field.missing", e.check_in("c1", note=None, csi4=None, logged_by=None, id=None)),
    Case("a topic string is fine", "field.not_string", e.conflict("k1", topic="money")),
    Case("integers are fine", "field.not_integer", e.conflict("k1", intensity=5)),
    Case("private false is fine", "field.not_boolean", e.check_in("c1", note="n", private=False)),
    Case("an empty horsemen list is fine", "field.not_list", e.conflict("k1", horsemen=[])),
    Case("the range ends are allowed", "field.out_of_range", e.check_in("c1", closeness=10, trust=1, csi4=[6, 5, 5, 5])),
    Case("all csi4 zeros are allowed", "field.out_of_range", e.check_in("c1", csi4=[0, 0, 0, 0])),
    Case("each repair kind is allowed", "field.not_a_choice", e.offer("o1", kind="reassurance")),
    Case("a handle of 40 characters is allowed", "handle.pattern", e.registered("a" + "-9" * 19 + "z")),
    Case("an id of 64 allowed characters is fine", "id.pattern", e.check_in("Ab09_.:-" * 8)),
    Case("ids are case-sensitive", "id.pattern", e.check_in("C1"), given=[e.check_in("c1")]),
    Case("an ISO time with Z is fine", "time.invalid", e.check_in("c1", occurred_at="2026-03-02T10:00:00Z")),
    Case("a line of exactly 1 MiB is read", "entry.line_too_long", padded(CHECK_IN, MAX_LINE_BYTES)),
    Case("the same key in two objects is fine", "entry.duplicate_key", json.dumps(e.registered("cd-ef")).encode()),
    Case("a quote and a colon inside a note are not keys", "entry.duplicate_key", json.dumps(e.check_in("c1", note='he said "trust": "5"')).encode()),
    Case("UTF-8 beyond ASCII is fine", "entry.not_utf8", json.dumps(e.check_in("c1", note="caf\u00e9 \u2764"), ensure_ascii=False).encode()),
    Case("a byte order mark inside a note is only a character", "entry.byte_order_mark", json.dumps(e.check_in("c1", note="a\ufeffb"), ensure_ascii=False).encode()),
    Case("a line without NUL bytes is read", "entry.nul_byte", b"  " + CHECK_IN + b"\t \r\n"),
    Case("an occurred_at at 2000-01-01T00:00:00Z is fine", "time.out_of_range", e.check_in("c1", occurred_at="2000-01-01T00:00:00Z")),
    Case("an occurred_at offset into 2000 is fine", "time.out_of_range", e.check_in("c1", occurred_at="1999-12-31T23:30:00-01:00")),
    Case("a due_at in the last second of 2099 is fine", "time.out_of_range", e.promise("p1", due_at="2099-12-31T23:59:59Z")),
    Case("a renegotiated due_at before 2100 in UTC is fine", "time.out_of_range", {**e.renegotiated("n1", "p1"), "due_at": "2100-01-01T00:59:59+01:00"}, given=[e.promise("p1")]),
    Case("an open standard input is read", "input.closed", Stdin(CHECK_IN + b"\n")),
    Case("a standard input with one entry is read", "input.empty", Stdin(b"\n" + CHECK_IN)),
    Case("a window of 1 day is fine", "window.out_of_range", Window(1), stores=0),
    Case("a window of 3660 days is fine", "window.out_of_range", Window(3660), stores=0),
    Case("a half-hour offset is fine", "time.no_offset", e.check_in("c1", occurred_at="2026-03-02T15:30:00+05:30")),
    Case("a newline in a note is kept", "text.control_char", e.check_in("c1", note="line one\nline two")),
    Case("2,000 characters after trimming are fine", "text.too_long", e.check_in("c1", note="  " + LONG + "  ")),
    Case("an empty note counts as absent", "text.empty", e.check_in("c1", note="   ", private=True)),
    Case("a topic of 60 characters is fine", "topic.length", e.conflict("k1", topic="  " + "T" * 30 + "   \n " + "t" * 29)),
    Case("all four horsemen may be named", "horsemen.duplicate", e.conflict("k1", horsemen=["criticism", "contempt", "defensiveness", "stonewalling"])),
    Case("four csi4 answers are fine", "csi4.shape", e.check_in("c1", csi4=[3, 3, 2, 2])),
    Case("a half-hour zone is fine", "timezone.unknown", e.registered("c2", timezone="Asia/Kolkata")),
    Case("the time zone defaults to UTC", "timezone.unknown", {k: v for k, v in e.registered("c2").items() if k != "timezone"}),
    Case("two partners with names are fine", "partners.shape", e.registered("c2")),
    Case("partners need different handles", "partners.same_handle", e.registered("c2")),
    Case("a private note with logged_by is fine", "note.private_without_author", e.kept("k2", "p1", note="did it", private=True, logged_by="ben"), given=[e.promise("p1")]),
    Case("exactly 5 minutes after now is fine", "occurred_at.in_future", e.check_in("c1", occurred_at=NOW.replace(minute=5).isoformat())),
    Case("a new handle can be registered", "couple.taken", e.registered("cara-dan")),
    Case("a registered couple can log", "couple.unknown", e.check_in("c1")),
    Case("both partners can log", "partner.unknown", e.check_in("c1", by="ben", logged_by="ana")),
    Case("an id may repeat in another couple", "id.taken", e.check_in("c1", couple="cara-dan"), given=[e.check_in("c1"), e.registered("cara-dan")]),
    Case("an existing conflict can be resolved", "ref.unknown", e.resolved("x1", "k1"), given=[e.conflict("k1")]),
    Case("an attempt can be accepted", "ref.wrong_type", e.accepted("a1", "o1"), given=[e.offer("o1")]),
    Case("attempts of a retracted conflict stay, unlinked", "ref.retracted", e.accepted("a1", "o1", hours=3), given=[e.conflict("k1"), e.offer("o1", hours=0.5, conflict="k1"), e.retracted("r1", "k1")]),
    Case("after a retracted resolution the conflict can be resolved again", "conflict.already_resolved", e.resolved("x2", "k1", hours=3), given=[e.conflict("k1"), e.resolved("x1", "k1"), e.retracted("r1", "x1")]),
    Case("a resolution at the very start is fine", "conflict.before_start", e.resolved("x1", "k1", hours=0), given=[e.conflict("k1")]),
    Case("an offer at the conflict's start is fine", "conflict.starts_after_offer", e.offer("o1", conflict="k1"), given=[e.conflict("k1")]),
    Case("after a retracted outcome a new one may be recorded", "attempt.already_answered", e.declined("a2", "o1", hours=3), given=[e.offer("o1"), e.accepted("a1", "o1"), e.retracted("r1", "a1")]),
    Case("an outcome at the moment of the offer is fine", "attempt.before_offer", e.accepted("a1", "o1", hours=0), given=[e.offer("o1")]),
    Case("due one second after making is fine", "promise.due_not_after_made", e.promise("p1", hours=5, due=5 + 1 / 3600)),
    Case("after a retracted break the promise can be kept", "promise.already_settled", e.kept("k1", "p1", hours=3), given=[e.promise("p1"), e.broken("b1", "p1"), e.retracted("r1", "b1")]),
    Case("after a retracted release the promise can be kept", "promise.released", e.kept("k1", "p1", hours=3), given=[e.promise("p1"), e.released("l1", "p1"), e.retracted("r1", "l1")]),
    Case("keeping after the due time is allowed (kept late)", "promise.before_made", e.kept("k1", "p1", hours=30), given=[e.promise("p1", due=24)]),
    Case("a renegotiation at the time of the latest one is fine", "promise.before_renegotiation", e.renegotiated("n2", "p1", hours=5, due=60), given=[e.promise("p1"), e.renegotiated("n1", "p1", hours=5, due=50)]),
    Case("a renegotiation exactly at the due time is fine", "promise.past_due", e.renegotiated("n1", "p1", hours=24, due=50), given=[e.promise("p1", due=24)]),
    Case("a release exactly at the due time is fine", "promise.release_after_due", e.released("l1", "p1", hours=24), given=[e.promise("p1", due=24)]),
    Case("a renegotiated promise can be released before its new due time", "promise.release_after_due", e.released("l1", "p1", hours=30), given=[e.promise("p1", due=24), e.renegotiated("n1", "p1", hours=2, due=48)]),
    Case("a check-in can be retracted", "retraction.not_retractable", e.retracted("r1", "c1"), given=[e.check_in("c1")]),
    Case("a retraction may come before its target in time", "retraction.already_retracted", e.retracted("r1", "c1", hours=-5), given=[e.check_in("c1")]),
]
# fmt: on


def _when(app: RepairTrack, case: Case) -> None:
    if isinstance(case.when, Window):
        problem = window_problem(case.when.days)
        if problem is not None:
            raise EntryRefused([problem])
    elif isinstance(case.when, bytes | Stdin):
        try:
            if isinstance(case.when, bytes):
                items, lines = read_jsonl([case.when])
            elif case.when.content is None:
                items, lines = read_stdin(None)
            else:
                items, lines = read_stdin(io.TextIOWrapper(io.BytesIO(case.when.content)))
            app.record_batch(items, lines=lines)
        except BatchRefused as refused:
            raise EntryRefused([p.problem for p in refused.problems]) from None
    else:
        app.record(case.when)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: f"{c.code}: {c.says}")
def test_refused(app: RepairTrack, case: Case) -> None:
    # given the earlier entries, when the entry is recorded, then it is refused naming field and rule
    app.record_batch(case.given)
    before = app.recorder.max_notification_id()
    with pytest.raises(EntryRefused) as refused:
        _when(app, case)
    codes = {p.code for p in refused.value.problems}
    assert case.code in codes, str(refused.value)
    if case.field is not None:
        assert any(p.field == case.field and p.code == case.code for p in refused.value.problems)
        assert f"{case.field}: {case.code}" in str(refused.value)
    assert app.recorder.max_notification_id() == before  # nothing stored


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: f"{c.code}: {c.says}")
def test_accepted(app: RepairTrack, case: Case) -> None:
    # given the earlier entries, when the entry is recorded, then it is stored
    app.record_batch(case.given)
    before = app.recorder.max_notification_id()
    _when(app, case)
    assert app.recorder.max_notification_id() == (before or 0) + case.stores


def test_every_rule_has_both_sides() -> None:
    refused = {c.code for c in REFUSED}
    accepted_ = {c.code for c in ACCEPTED}
    assert not set(RULES) - refused, f"rules without a refused case: {set(RULES) - refused}"
    assert not set(RULES) - accepted_, f"rules without an accepted case: {set(RULES) - accepted_}"
    assert refused <= set(RULES) and accepted_ <= set(RULES)


def test_topic_is_lowercased_and_whitespace_collapsed(app: RepairTrack) -> None:
    app.record_batch([e.registered(), e.conflict("k1", topic="  Money \n\t Talk ".replace("\t", " "))])
    couple = aggregate(app, "ana-ben")
    assert couple is not None
    events = list(app.events.get(couple.id))
    assert events[-1].topic == "money talk"  # type: ignore[attr-defined]


def test_times_are_stored_as_aware_utc(app: RepairTrack) -> None:
    app.record_batch([e.registered(), e.check_in("c1", occurred_at="2026-03-02T15:30:00+05:30")])
    couple = aggregate(app, "ana-ben")
    assert couple is not None
    event = list(app.events.get(couple.id))[-1]
    assert event.occurred_at.isoformat() == "2026-03-02T10:00:00+00:00"  # type: ignore[attr-defined]


def test_logged_by_defaults_to_by(app: RepairTrack) -> None:
    app.record_batch([e.registered(), e.check_in("c1", by="ben")])
    couple = aggregate(app, "ana-ben")
    assert couple is not None
    assert list(app.events.get(couple.id))[-1].logged_by == "ben"  # type: ignore[attr-defined]


def test_a_refused_entry_changes_nothing_in_the_couple(app: RepairTrack) -> None:
    app.record_batch([e.registered(), e.promise("p1"), e.kept("k1", "p1")])
    couple_before = aggregate(app, "ana-ben")
    with pytest.raises(EntryRefused):
        app.record(e.broken("b1", "p1", hours=2))
    assert aggregate(app, "ana-ben") == couple_before


def test_at_is_relative_to_a_monday() -> None:
    assert e.at(0).startswith("2026-03-02T10:00")
