"""Ids of an encrypted store tell nothing: couple ids are a keyed hash of the handle (never `uuid5`,
which a list of likely handles would undo), entry ids stand in the read model only keyed or sealed, and
a store encrypted before ids were keyed moves to keyed ids when first opened, with the same metrics and
entries (tests/fixtures/store-encrypted-uuid5.sqlite, made by tests/fixtures/make_store_encrypted_uuid5.py).
Without a key, ids are `uuid5` of the handle, as every plain store has them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from uuid import UUID

from domain.access import ACCESS_NAMESPACE, CoupleAccess
from domain.accounts import ACCOUNT_NAMESPACE, INVITATION_NAMESPACE, Account, Invitation
from domain.ids import PLAIN_IDS, IdScheme
from repairtrack.bootstrap import build, settings_for
from repairtrack.config import Settings
from repairtrack.services.keys import IDS_RECORD, id_scheme, new_key
from tests.fixtures.make_store_encrypted_uuid5 import AS_OF, EXPECTED, NOW, STORE, TEST_KEY
from tests.support.entries import check_in, registered
from tests.support.reference import assert_same


def encrypted(folder: Path, key: str = TEST_KEY) -> Settings:
    return Settings.from_env(data_dir=folder, environ={"REPAIRTRACK_ENCRYPTION_KEY": key})


def id_forms(value: UUID) -> list[bytes]:
    return [value.hex.encode(), str(value).encode(), value.hex.upper().encode(), str(value).upper().encode()]


def files_holding(folder: Path, needles: dict[str, list[bytes]]) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [
            f"{path.name}: {label}" for label, forms in needles.items() if any(f in data for f in forms)
        ]
    return found


def stored_ids(database: Path) -> set[str]:
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            "SELECT originator_id FROM stored_events UNION SELECT originator_id FROM stored_snapshots"
        ).fetchall()
    finally:
        connection.close()
    return {str(r[0]) for r in rows}


def test_the_scheme_is_uuid5_without_a_key_and_a_keyed_hash_with_one() -> None:
    assert PLAIN_IDS.couple_id("ana-ben") == UUID("aa48ed0e-5160-5382-9830-c77fb3d43f28")  # as ever
    assert id_scheme(settings_for("/nowhere")) is PLAIN_IDS
    keyed = id_scheme(encrypted(Path("/nowhere")))
    other = id_scheme(encrypted(Path("/nowhere"), new_key()))
    made = keyed.couple_id("ana-ben")
    assert made == keyed.couple_id("ana-ben")  # deterministic: a handle finds its couple
    assert made.version == 8 and made.variant == "specified in RFC 4122"
    assert made not in {
        PLAIN_IDS.couple_id("ana-ben"),
        other.couple_id("ana-ben"),
        keyed.couple_id("ana-bem"),
    }
    namespace = UUID(int=1)
    assert keyed.aggregate_id(namespace, "ana-ben") not in {
        made,
        PLAIN_IDS.aggregate_id(namespace, "ana-ben"),
    }
    assert IdScheme(lambda message: bytes(32)).couple_id("x") == UUID("00000000-0000-8000-8000-000000000000")


def test_with_a_key_couples_are_stored_under_keyed_ids(tmp_path: Path) -> None:
    store = build(encrypted(tmp_path / "data"), clock=lambda: NOW)
    store.app.record_batch([registered(), check_in("c1")])
    expected = id_scheme(store.settings).couple_id("ana-ben")
    assert store.app.ids.couple_id("ana-ben") == expected
    assert store.read_model.ids.couple_id("ana-ben") == expected
    store.close()
    assert stored_ids(tmp_path / "data" / "events.sqlite") == {expected.hex}


def test_without_a_key_ids_stay_uuid5_of_the_handle(tmp_path: Path) -> None:
    store = build(settings_for(tmp_path / "data"), clock=lambda: NOW)
    store.app.record_batch([registered(), check_in("c1")])
    with store.read_model.open() as view:
        assert [r["entry_id"] for r in view.timeline("ana-ben")] == ["c1", "reg"]
        (entries,) = view.con.execute("SELECT list(entry_id ORDER BY position) FROM entries").fetchone()
        assert entries == ["reg", "c1"]  # the view keeps plain ids as they are
    store.close()
    assert stored_ids(tmp_path / "data" / "events.sqlite") == {PLAIN_IDS.couple_id("ana-ben").hex}


def test_a_store_encrypted_before_keyed_ids_moves_to_them_with_the_same_metrics_and_entries(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(STORE, data / "events.sqlite")
    expected = json.loads(EXPECTED.read_text())
    legacy = {handle: PLAIN_IDS.couple_id(handle) for handle in AS_OF}
    assert stored_ids(data / "events.sqlite") == {u.hex for u in legacy.values()}  # the old layout
    old = {f"uuid5({h})": id_forms(u) for h, u in legacy.items()}
    assert files_holding(data, old)  # the scan finds them
    connection = sqlite3.connect(data / "events.sqlite")
    order_before = connection.execute(
        "SELECT rowid, originator_version FROM stored_events ORDER BY rowid"
    ).fetchall()
    connection.close()

    store = build(encrypted(data), clock=lambda: NOW)
    keyed = {handle: store.app.ids.couple_id(handle) for handle in AS_OF}
    assert stored_ids(data / "events.sqlite") == {u.hex for u in keyed.values()}
    with store.read_model.open() as view:
        for handle, as_of in AS_OF.items():
            assert_same(view.metrics(handle, as_of=as_of), expected[handle])
    for handle in AS_OF:
        assert store.app.entries(handle, local_times=False) == expected["entries"][handle]
    assert store.app.snapshots is not None
    assert list(store.app.snapshots.get(keyed["demo"]))  # the snapshot moved too
    store.app.record(check_in("after", 2000, couple="ana-ben"))  # and the couple goes on
    store.close()

    connection = sqlite3.connect(data / "events.sqlite")
    order_after = connection.execute(
        "SELECT rowid, originator_version FROM stored_events ORDER BY rowid"
    ).fetchall()
    (layout,) = connection.execute(
        "SELECT value FROM repairtrack_meta WHERE key = ?", [IDS_RECORD]
    ).fetchone()
    connection.close()
    assert order_after[: len(order_before)] == order_before  # the notification log keeps its order
    assert layout == "keyed-1"
    assert files_holding(data, old) == []  # no old id anywhere: events, snapshots, free pages, WAL

    again = build(encrypted(data), clock=lambda: NOW)  # a second opening moves nothing
    with again.read_model.open() as view:
        assert_same(view.metrics("demo", as_of=AS_OF["demo"]), expected["demo"])
    again.close()
    assert stored_ids(data / "events.sqlite") == {u.hex for u in keyed.values()}


def test_the_fixture_is_what_its_maker_says() -> None:
    connection = sqlite3.connect(STORE)
    try:
        meta = dict(connection.execute("SELECT key, value FROM repairtrack_meta").fetchall())
    finally:
        connection.close()
    assert IDS_RECORD not in meta and meta["encryption"] != "plain"  # encrypted, of the old layout


def test_with_a_key_access_records_accounts_and_invitations_take_keyed_ids_too(tmp_path: Path) -> None:
    store = build(encrypted(tmp_path / "data"), clock=lambda: NOW)
    try:
        keyed = id_scheme(store.settings)
        assert store.access.ids.is_keyed and store.identity.ids.is_keyed
        for made, namespace, name in [
            (CoupleAccess.create_id("ana-ben", store.access.ids), ACCESS_NAMESPACE, "ana-ben"),
            (Account.create_id("dr-lee", store.identity.ids), ACCOUNT_NAMESPACE, "dr-lee"),
            (Invitation.create_id("0" * 64, store.identity.ids), INVITATION_NAMESPACE, "0" * 64),
        ]:
            assert made == keyed.aggregate_id(namespace, name) != PLAIN_IDS.aggregate_id(namespace, name)
    finally:
        store.close()
    assert CoupleAccess.create_id("ana-ben") == PLAIN_IDS.aggregate_id(ACCESS_NAMESPACE, "ana-ben")
