"""The one rule for user, module and content ids, so every capability can name whom another stored."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# Letters and digits first, then also . _ : @ -; no "/" "%" "#" or spaces (keys and paths use them).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$"
ID_MAX_LENGTH = 128

EntityId = Annotated[str, StringConstraints(min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN)]
