"""A store holding accounts stays a store of entries: the read model projects only the couples' events
(metrics unchanged), backup and restore carry the accounts, forgetting a couple leaves them."""

from __future__ import annotations

from pathlib import Path

from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.maintenance import backup, forget, restore
from tests.accounts.conftest import PASSPHRASE
from tests.conftest import NOW, Clock
from tests.support.entries import conflict, offer, registered


def metrics_of(store: Services) -> dict[str, object]:
    with store.read_model.open() as view:
        return dict(view.metrics("ana-ben", as_of=NOW, window_days=28))


def test_the_read_model_skips_accounts_and_its_metrics_are_unchanged(tmp_path: Path, clock: Clock) -> None:
    entries = [registered(), conflict("c1", 1), offer("o1", 2, conflict="c1")]
    plain = build(settings_for(tmp_path / "plain"), clock=clock)
    with_accounts = build(settings_for(tmp_path / "accounts"), clock=clock)
    try:
        plain.app.record_batch(entries)
        with_accounts.app.record_batch(entries[:1])
        invite = with_accounts.accounts.invite_partner("ana-ben", "ana")
        with_accounts.accounts.join(invite.code, "ana-acc", PASSPHRASE)
        with_accounts.app.record_batch(entries[1:])
        with_accounts.accounts.disable("ana-acc")
        assert metrics_of(with_accounts) == metrics_of(plain)
        with with_accounts.read_model.open() as view:
            assert view.facts.position == with_accounts.app.recorder.max_notification_id()
        assert with_accounts.read_model.rebuild() >= len(entries)
        assert metrics_of(with_accounts) == metrics_of(plain)
    finally:
        plain.close()
        with_accounts.close()


def test_backup_and_restore_carry_accounts_but_not_sessions(
    store: Services, ana: str, tmp_path: Path
) -> None:
    token = store.accounts.create_token("ana-acc")
    out = tmp_path / "backup.sqlite"
    backup(store.settings, out)
    target = settings_for(tmp_path / "restored")
    restore(target, out)
    restored = build(target)
    try:
        assert [a.name for a in restored.accounts.list_accounts()] == ["ana-acc"]
        assert restored.accounts.actor_for_session(ana) is None
        assert restored.accounts.actor_for_token(token) is not None
        assert restored.app.describe("ana-ben") is not None
    finally:
        restored.close()


def test_forgetting_a_couple_leaves_the_accounts(store: Services, ana: str) -> None:
    forget(store, "ana-ben")
    assert not store.app.exists("ana-ben")
    assert [a.name for a in store.accounts.list_accounts()] == ["ana-acc"]
