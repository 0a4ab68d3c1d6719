"""The projection's metrics equal the plain-Python reference implementation of SPEC section 4 over
random valid entry streams, with T on entry times, due times, week edges and in between."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tests.support.reference import assert_same, reference_metrics
from tests.support.stores import temporary_store
from tests.support.streams import interesting_times, random_stream


@given(seed=st.integers(0, 10**9), window_days=st.sampled_from([1, 7, 28, 45]))
def test_projection_equals_reference(seed: int, window_days: int) -> None:
    entries = random_stream(seed, size=random.Random(seed).randint(20, 110))
    rng = random.Random(seed + 1)
    with temporary_store(entries) as store, store.read_model.open() as view:
        for as_of in interesting_times(entries, rng, window_days):
            actual = view.metrics("c", as_of=as_of, window_days=window_days)
            expected = reference_metrics(entries, as_of, window_days)
            assert actual.pop("as_of").endswith("Z")
            assert_same(actual, expected, f"seed={seed} T={as_of.isoformat()} W={window_days}")
