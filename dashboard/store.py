"""The dashboard's one way to the store: the services built once per process (per configuration), the
service layer over them (`repairtrack.services.couples.Couples`: every read and write of a couple names
its actor), the read model opened once per rerun, and the guidance library loaded once.

`st.cache_*` is used here and nowhere else in the project. The cache is keyed by the settings, so tests
that point `REPAIRTRACK_DATA_DIR` at a fresh folder get fresh services.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from content.library import Library, load_library
from projections.readmodel import ReadModelBusy, View
from projections.schema import METRICS_SCHEMA
from repairtrack.bootstrap import Services, build
from repairtrack.config import ConfigError, Settings
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from repairtrack.services.identity import Accounts


def _release(services: Services) -> None:
    services.close()


@st.cache_resource(show_spinner=False, max_entries=8, on_release=_release)
def _services(key: str, _settings: Settings) -> Services:
    return build(_settings)


def settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as error:
        st.error(f"The store is not configured correctly: {error}")
        st.stop()


def _key(current: Settings) -> str:
    return hashlib.sha256(repr(current).encode()).hexdigest()


def services() -> Services:
    """The write application and the read model for the configured store, built once per process."""
    current = settings()
    return _services(_key(current), current)


def couples() -> Couples:
    """The service layer of SPEC section 8 over the configured store."""
    return Couples(services())


def accounts() -> Accounts:
    """The accounts service (sign-ins, personal tokens) over the configured store."""
    return services().accounts


@contextmanager
def reading() -> Iterator[View]:
    """The read model, caught up with every stored entry, for the duration of one block of one rerun.

    Pages read everything they need inside one such block and lay out afterwards, so the read model is
    never held between reruns (the command line may use the store meanwhile)."""
    try:
        with (
            st.spinner("Reading your entries…", show_time=False),
            services().read_model.open() as view,
        ):
            yield view
    except ReadModelBusy:
        st.error(
            "The store is busy with another task (an import or a rebuild, perhaps). "
            "Please try again in a moment."
        )
        st.stop()


@st.cache_resource(show_spinner=False)
def library() -> Library:
    """The guidance library (content/guidance), read and checked once per process."""
    return load_library(schema=METRICS_SCHEMA)


@dataclass(frozen=True)
class Household:
    """A registered couple as the pages need it: handle, time zone, partners (handle -> name, in
    registration order)."""

    handle: str
    timezone: str
    names: dict[str, str]


@st.cache_resource(show_spinner=False, max_entries=8)
def _households(key: str) -> dict[str, Household]:
    return {}


def household(handle: str, actor: Actor) -> Household | None:
    """The couple's partners and time zone, if the actor may see it (through the service layer), from
    the write side; remembered per store once found (they never change once registered)."""
    known = _households(_key(settings()))
    if handle not in known or actor.kind == "counselor":  # a counselor's access may end any time
        try:
            row = couples().household(actor, handle)
        except LookupError:  # unknown, or not the actor's to see: the same answer
            return None
        names = {p["handle"]: p["name"] for p in row["partners"]}
        known[handle] = Household(handle, row["timezone"], names)
    elif actor.kind == "partner" and actor.couple != handle:
        return None
    return known[handle]
