"""The cells of a markup × edition matrix that `make test` runs, and the rest, marked `matrix`, that only
`make test-matrix` runs (CI runs both): the whole matrix stays in the suite, and `make test` under three minutes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

matrix = pytest.mark.matrix


def cells(values: Iterable[Any], everyday: Iterable[Any]) -> list[Any]:
    """`values` as pytest parameters, those not in `everyday` marked `matrix` (a tuple stays one cell)."""
    kept = list(everyday)
    return [
        pytest.param(*(value if isinstance(value, tuple) else (value,)), marks=() if value in kept else matrix)
        for value in values
    ]
