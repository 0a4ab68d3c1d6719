"""The errors of the content package: a piece, a condition or a metrics object that is not as it must be."""

from __future__ import annotations

__all__ = ["ConditionError", "GuidanceError"]


class GuidanceError(ValueError):
    """The guidance library, an observation, a condition or a metrics object is not as it must be."""


class ConditionError(GuidanceError):
    """A condition or text template that does not tokenize, parse or check."""
