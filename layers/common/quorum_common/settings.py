"""Environment settings, read and validated once per cold start.

Each handler declares a pydantic model of the variables it needs, with the exact names the
template sets (`alias=`), and reads it through `load_settings`, which caches per model.
Names are unique across the stack because every function shares one process locally.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

S = TypeVar("S", bound=BaseModel)


class EnvSettings(BaseModel):
    """Base for settings models: frozen, and read from upper-case variable names."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)


@cache
def load_settings(model: type[S]) -> S:
    """Validate the process environment against `model` (once; later calls reuse it)."""
    return model.model_validate(dict(os.environ))
