"""The command line's bounds of SPEC section 3 Limits: `--window-days` is 1 to 3660, `--as-of`, `--from` and
`--to` lie in [2000-01-01T00:00:00Z, 2100-01-01). Out of bounds is one sentence `option: code: detail` and
exit code 2, never an overflow or an exception's name. Run in-process through `main`, on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairtrack.bootstrap import build_app, settings_for
from repairtrack.cli import main
from tests.support.entries import check_in, registered


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("bounds") / "data"
    app = build_app(settings_for(data_dir))
    try:
        app.record_batch([registered(), check_in("c1", 1)])
    finally:
        app.close()
    return data_dir


def run(capsys: pytest.CaptureFixture[str], store: Path, *args: str) -> tuple[int, str, str]:
    try:
        main(["--data-dir", str(store), *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_refused(result: tuple[int, str, str], start: str) -> None:
    code, out, err = result
    assert code == 2, (out, err)
    assert err.strip().startswith(start), err
    assert len(err.strip().splitlines()) == 1, err
    for word in ("Traceback", "Error", "Overflow", "Exception"):
        assert word not in err
    assert len(err) < 300  # a huge value is never echoed whole


HUGE = str(10**30)


@pytest.mark.parametrize("days", ["0", "-1", "3661", HUGE, "-" + HUGE])
def test_metrics_refuses_a_window_out_of_bounds(
    capsys: pytest.CaptureFixture[str], store: Path, days: str
) -> None:
    result = run(capsys, store, "metrics", "-c", "ana-ben", "--window-days", days, "--json")
    assert_refused(result, "--window-days: window.out_of_range: ")


@pytest.mark.parametrize("days", ["1", "3660"])
def test_metrics_accepts_a_window_at_the_edges(
    capsys: pytest.CaptureFixture[str], store: Path, days: str
) -> None:
    code, out, err = run(
        capsys, store, "metrics", "-c", "ana-ben", "--window-days", days,
        "--as-of", "2026-06-01T12:00:00Z", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert f'"window_days":{days}' in out


@pytest.mark.parametrize(
    "moment",
    ["1999-12-31T23:59:59Z", "1999-12-31T00:00:00+00:00", "2100-01-01T00:00:00Z", "9999-12-31T23:59:59Z"],
)
def test_metrics_refuses_a_moment_out_of_bounds(
    capsys: pytest.CaptureFixture[str], store: Path, moment: str
) -> None:
    assert_refused(
        run(capsys, store, "metrics", "-c", "ana-ben", "--as-of", moment), "--as-of: time.out_of_range: "
    )


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "10000-01-01T00:00:00Z", "x" * 5000])
def test_metrics_refuses_a_moment_that_is_no_time_quoting_little_of_it(
    capsys: pytest.CaptureFixture[str], store: Path, moment: str
) -> None:
    assert_refused(
        run(capsys, store, "metrics", "-c", "ana-ben", "--as-of", moment), "--as-of: time.invalid: "
    )


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00Z", "2099-12-31T23:59:59.999999Z"])
def test_metrics_accepts_a_moment_at_the_edges(
    capsys: pytest.CaptureFixture[str], store: Path, moment: str
) -> None:
    code, out, err = run(capsys, store, "metrics", "-c", "ana-ben", "--as-of", moment, "--json")
    assert code == 0, err
    assert out.startswith("{")


@pytest.mark.parametrize("days", ["0", "3661", HUGE])
def test_export_refuses_a_window_out_of_bounds(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path, days: str
) -> None:
    result = run(capsys, store, "export", "-c", "ana-ben", "--out", str(tmp_path), "--window-days", days)
    assert_refused(result, "window-days: window.out_of_range: ")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("option", "day"),
    [
        ("--from", "1999-12-31"),
        ("--from", "2100-01-01"),
        ("--from", "9999-12-31"),
        ("--to", "1999-12-31"),
        ("--to", "2100-01-01"),
        ("--to", "9999-12-31"),
    ],
)
def test_export_refuses_a_day_out_of_bounds(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path, option: str, day: str
) -> None:
    result = run(capsys, store, "export", "-c", "ana-ben", "--out", str(tmp_path), option, day)
    assert_refused(result, f"{option.lstrip('-')}: time.out_of_range: {day} lies outside")
    assert not list(tmp_path.iterdir())


def test_export_takes_days_at_the_edges_to_its_own_rules(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    """2099-12-31 is inside the bounds; it is the export's own rule that the last day is not after today."""
    late = run(capsys, store, "export", "-c", "ana-ben", "--out", str(tmp_path), "--to", "2099-12-31")
    assert_refused(late, "to: date.future: 2099-12-31 is after today")
    code, out, err = run(
        capsys, store, "export", "-c", "ana-ben", "--out", str(tmp_path), "--from", "2000-01-01",
        "--to", "2000-01-02", "--window-days", "3660",
    )  # fmt: skip
    assert code == 0, err
    assert Path(out.splitlines()[0]).is_file()


def test_export_accepts_a_one_day_window(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    code, _out, err = run(
        capsys, store, "export", "-c", "ana-ben", "--out", str(tmp_path),
        "--to", "2026-06-01", "--window-days", "1",
    )  # fmt: skip
    assert code == 0, err
