"""The event store: what is recorded survives closing and reopening, on a real SQLite file and on a
real PostgreSQL server; a snapshot loads the same couple as a full replay; two writers of the same
couple both get their entries stored (the loser of a race checks its entries again); and the store is
never the in-memory one by accident."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.application import project_aggregate

from domain.application import RepairTrack
from domain.errors import BatchRefused
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.config import ConfigError, Settings, postgres_env
from repairtrack.services.demo import generate
from repairtrack.services.importing import read_jsonl
from tests.conftest import Clock
from tests.support.aggregate import aggregate
from tests.support.entries import accepted, check_in, declined, offer, registered

EXAMPLE = Path(__file__).parent / "fixtures" / "two-months.jsonl"


def example_items() -> tuple[list[Any], list[int]]:
    return read_jsonl(io.BytesIO(EXAMPLE.read_bytes()))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The two kinds of event store: a SQLite file in a data folder, and a PostgreSQL database."""
    if request.param == "sqlite":
        return settings_for(tmp_path / "data")
    url: str = request.getfixturevalue("postgres_url")
    return Settings(data_dir=tmp_path / "data", database_url=url)


@pytest.fixture
def open_app(any_settings: Settings, clock: Clock) -> Iterator[Callable[[], RepairTrack]]:
    """Open as many applications on the one store as a test likes; all are closed at the end."""
    opened: list[RepairTrack] = []

    def opener() -> RepairTrack:
        opened.append(build_app(any_settings, clock=clock))
        return opened[-1]

    yield opener
    for app in opened:
        app.close()


# ----------------------------------------------------------------------------------------------
# Round trips
# ----------------------------------------------------------------------------------------------
def test_a_new_application_on_the_same_store_sees_the_same_couple_and_events(
    open_app: Callable[[], RepairTrack],
) -> None:
    first = open_app()
    items, lines = example_items()
    ids = first.record_batch(items, lines=lines)
    before = aggregate(first, "ana-ben")
    assert before is not None
    events_before = list(first.events.get(before.id))
    first.close()

    second = open_app()
    after = aggregate(second, "ana-ben")

    assert after == before
    assert after is not None and after.version == 150
    assert list(second.events.get(after.id)) == events_before
    assert list(after.ids) == ids
    assert second.recorder.max_notification_id() == 150


def test_the_stored_events_carry_the_entries_fields(open_app: Callable[[], RepairTrack]) -> None:
    app = open_app()
    app.record_batch(
        [registered(), check_in("c1", 1, csi4=[4, 3, 3, 4], note="  felt close  ", private=True)]
    )
    app.close()

    couple = aggregate(open_app(), "ana-ben")
    assert couple is not None
    events = list(open_app().events.get(couple.id))

    assert [type(e).__name__ for e in events] == ["Registered", "CheckedIn"]
    check = events[1]
    assert (check.entry_id, check.by, check.closeness, check.trust, check.csi4) == (  # type: ignore[attr-defined]
        "c1",
        "ana",
        6,
        5,
        [4, 3, 3, 4],
    )
    assert (check.note, check.private, check.logged_by) == ("felt close", True, "ana")  # type: ignore[attr-defined]
    assert check.occurred_at.isoformat() == "2026-03-02T11:00:00+00:00"  # type: ignore[attr-defined]


def test_a_second_writer_on_the_same_store_sees_the_first_ones_entries(
    open_app: Callable[[], RepairTrack],
) -> None:
    one, two = open_app(), open_app()
    one.record(registered())
    one.record(check_in("c1", 1))

    two.record(check_in("c2", 2, by="ben"))
    seen_by_one = aggregate(one, "ana-ben")

    assert seen_by_one is not None
    assert set(seen_by_one.ids) == {"reg", "c1", "c2"}
    assert aggregate(two, "ana-ben") == seen_by_one


def test_an_entry_refused_by_one_writer_because_of_the_other_ones_entry(
    open_app: Callable[[], RepairTrack],
) -> None:
    one, two = open_app(), open_app()
    one.record_batch([registered(), offer("o1", 1)])
    two.record(accepted("a1", "o1", 2))

    with pytest.raises(BatchRefused) as refused:
        one.record_batch([declined("d1", "o1", 3)])

    assert [p.problem.code for p in refused.value.problems] == ["attempt.already_answered"]


# ----------------------------------------------------------------------------------------------
# Snapshots
# ----------------------------------------------------------------------------------------------
def test_loading_a_couple_from_its_snapshot_equals_replaying_all_its_events(
    open_app: Callable[[], RepairTrack],
) -> None:
    entries = generate(seed=3, couples=1, days=200, until=date(2026, 5, 31))
    every = RepairTrack.snapshot_interval
    assert len(entries) > 2 * every + 100
    # Several imports, so snapshots fall mid-history, and a last one that leaves a tail after the
    # last snapshot for the repository to replay.
    tail = len(entries) // every * every + 1
    assert tail < len(entries)
    writer = open_app()
    for start in range(0, tail, 130):
        writer.record_batch(entries[start : min(start + 130, tail)])
    writer.record_batch(entries[tail:])
    writer.close()

    app = open_app()  # a fresh application: nothing in memory
    couple_id = app.ids.couple_id("demo")
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(couple_id, desc=True, limit=1))
    loaded = app.repository.get(couple_id)
    replayed = project_aggregate(None, app.events.get(couple_id))

    assert len(snapshots) == 1
    assert RepairTrack.snapshot_interval < snapshots[0].originator_version < loaded.version
    assert loaded.version == len(entries)
    assert loaded == replayed
    # The state a snapshot was taken from equals the replay up to its version too.
    at_snapshot = project_aggregate(None, app.events.get(couple_id, lte=snapshots[0].originator_version))
    assert app.repository.get(couple_id, version=snapshots[0].originator_version) == at_snapshot


def test_a_snapshot_is_taken_each_time_a_couple_crosses_the_interval(app: RepairTrack) -> None:
    every = RepairTrack.snapshot_interval
    app.record(registered())
    app.record_batch([check_in(f"c{n}", n / 10) for n in range(every - 2)])  # version every - 1
    couple_id = app.ids.couple_id("ana-ben")
    assert app.snapshots is not None
    assert list(app.snapshots.get(couple_id)) == []

    app.record_batch([check_in("x1", 30), check_in("x2", 31)])  # version every + 1

    versions = [s.originator_version for s in app.snapshots.get(couple_id)]
    assert versions == [every + 1]
    assert app.repository.get(couple_id) == project_aggregate(None, app.events.get(couple_id))


# ----------------------------------------------------------------------------------------------
# Two writers of the same couple
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def two_writers(store_settings: Settings, clock: Clock) -> Iterator[tuple[RepairTrack, RepairTrack]]:
    """Two write applications on the same store, as two processes would have them."""
    one = build_app(store_settings, clock=clock)
    two = build_app(store_settings, clock=clock)
    try:
        yield one, two
    finally:
        one.close()
        two.close()


def first_when_storing(record: Callable[[], str]) -> tuple[list[str], Callable[[str, int, int], None]]:
    """A progress hook that, when a batch has been checked and is about to be stored, has someone else
    `record` first (once); and the list of the ids that other writer stored."""
    raced: list[str] = []

    def meanwhile(phase: str, done: int, total: int) -> None:
        if phase == "storing" and not raced:
            raced.append(record())

    return raced, meanwhile


def test_concurrent_writers_of_the_same_couple_both_get_their_entries_stored(
    two_writers: tuple[RepairTrack, RepairTrack], store_settings: Settings, clock: Clock
) -> None:
    one, two = two_writers
    one.record_batch([registered(), check_in("c1", 1)])
    # `two` has checked its entry against the couple as it was; now `one` stores first.
    raced, meanwhile = first_when_storing(lambda: one.record(check_in("c-one", 2)))

    two.record_batch([check_in("c-two", 3, by="ben")], progress=meanwhile)

    assert raced == ["c-one"]
    couple = aggregate(build_app(store_settings, clock=clock), "ana-ben")
    assert couple is not None
    assert list(couple.ids) == ["reg", "c1", "c-one", "c-two"]
    assert couple.version == 4


def test_the_loser_of_a_race_is_checked_again_and_refused_when_it_breaks_a_rule(
    two_writers: tuple[RepairTrack, RepairTrack],
) -> None:
    one, two = two_writers
    one.record_batch([registered(), offer("o1", 1, by="ana")])
    assert aggregate(one, "ana-ben") == aggregate(two, "ana-ben")  # both loaded the couple
    _raced, meanwhile = first_when_storing(lambda: one.record(accepted("yes", "o1", 2)))

    with pytest.raises(BatchRefused) as refused:
        two.record_batch([declined("no", "o1", 2)], progress=meanwhile)

    assert [(p.line, p.problem.field, p.problem.code) for p in refused.value.problems] == [
        (1, "attempt", "attempt.already_answered")
    ]
    couple = aggregate(two, "ana-ben")
    assert couple is not None
    assert list(couple.ids) == ["reg", "o1", "yes"]
    assert couple.attempts["o1"]["outcome"] == "yes"
    assert two.recorder.max_notification_id() == 3


def test_a_batch_racing_a_registration_of_the_same_couple_is_checked_again(
    two_writers: tuple[RepairTrack, RepairTrack],
) -> None:
    one, two = two_writers
    _raced, meanwhile = first_when_storing(lambda: one.record(registered(entry_id="first")))

    with pytest.raises(BatchRefused) as refused:
        two.record_batch([registered(entry_id="second"), check_in("c1", 1)], progress=meanwhile)

    assert [(p.line, p.problem.code) for p in refused.value.problems] == [(1, "couple.taken")]
    assert two.recorder.max_notification_id() == 1


# ----------------------------------------------------------------------------------------------
# Configuration: never the in-memory store by accident
# ----------------------------------------------------------------------------------------------
def test_an_application_without_a_configured_store_refuses_to_start() -> None:
    with pytest.raises(ValueError, match="PERSISTENCE_MODULE"):
        RepairTrack({})
    with pytest.raises(ValueError, match="PERSISTENCE_MODULE"):
        RepairTrack()


def test_process_variables_of_the_library_do_not_pick_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.popo")

    with pytest.raises(ValueError, match="PERSISTENCE_MODULE"):
        RepairTrack({"ORIGINATOR_ID_TYPE": "uuid"})


def test_without_configuration_the_store_is_the_sqlite_file_under_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)

    settings = Settings.from_env(environ={})

    assert settings.data_dir == tmp_path.resolve() / "data"
    assert not settings.uses_postgres
    env = settings.event_store_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == str(tmp_path.resolve() / "data" / "events.sqlite")
    assert env["SQLITE_LOCK_TIMEOUT"] == "120"


def test_the_data_folder_comes_from_the_flag_then_the_environment(tmp_path: Path) -> None:
    from_env = Settings.from_env(environ={"REPAIRTRACK_DATA_DIR": str(tmp_path / "env")})
    from_flag = Settings.from_env(
        data_dir=tmp_path / "flag", environ={"REPAIRTRACK_DATA_DIR": str(tmp_path / "env")}
    )

    assert from_env.event_store_env()["SQLITE_DBNAME"] == str(tmp_path / "env" / "events.sqlite")
    assert from_flag.event_store_env()["SQLITE_DBNAME"] == str(tmp_path / "flag" / "events.sqlite")


def test_building_the_application_creates_the_sqlite_file_in_the_data_folder(
    store_settings: Settings, clock: Clock
) -> None:
    app = build_app(store_settings, clock=clock)
    try:
        app.record(registered())
    finally:
        app.close()

    assert store_settings.event_store_path.is_file()
    assert store_settings.event_store_path.parent == store_settings.data_dir


def test_a_postgresql_url_is_translated_into_the_librarys_keys() -> None:
    url = "postgresql://rt%40user:p%40ss%3Aw%2Fd@db.example.org:6543/repair_db?schema=tenant_1"

    env = Settings.from_env(environ={"REPAIRTRACK_DATABASE_URL": url}).event_store_env()

    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert env["POSTGRES_USER"] == "rt@user"
    assert env["POSTGRES_PASSWORD"] == "p@ss:w/d"
    assert env["POSTGRES_HOST"] == "db.example.org"
    assert env["POSTGRES_PORT"] == "6543"
    assert env["POSTGRES_DBNAME"] == "repair_db"
    assert env["POSTGRES_SCHEMA"] == "tenant_1"
    assert env["POSTGRES_LOCK_TIMEOUT"] == "120"
    assert "SQLITE_DBNAME" not in env


def test_a_postgresql_url_without_port_or_schema_uses_the_defaults() -> None:
    env = postgres_env("postgres://me@localhost/rt", lock_timeout=5)

    assert env["POSTGRES_PORT"] == "5432"
    assert env["POSTGRES_USER"] == "me"
    assert env["POSTGRES_PASSWORD"] == ""
    assert env["POSTGRES_LOCK_TIMEOUT"] == "5"
    assert "POSTGRES_SCHEMA" not in env


@pytest.mark.parametrize(
    "url",
    ["mysql://me@localhost/rt", "postgresql://me@localhost/", "postgresql:///rt"],
)
def test_an_unusable_database_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env(environ={"REPAIRTRACK_DATABASE_URL": url}).event_store_env()


@pytest.mark.postgres
def test_a_postgresql_schema_in_the_url_keeps_the_store_in_that_schema(
    postgres_url: str, tmp_path: Path, clock: Clock
) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA tenant_a")
    settings = Settings(data_dir=tmp_path, database_url=f"{postgres_url}?schema=tenant_a")
    app = build_app(settings, clock=clock)
    try:
        app.record(registered())
    finally:
        app.close()

    with psycopg.connect(postgres_url) as conn:
        tables = conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name ILIKE '%events'"
        ).fetchall()
    assert tables and {schema for (schema,) in tables} == {"tenant_a"}
