"""The reviewer table's item layout: keys, index keys and stored timestamps.

Item layout (pk / sk; gsi1; draw):
- reviewer      USER#<id> / PROFILE          gsi1 PROFILES#<shard> / <id>   draw POOL#active (when active)
- pool entry    USER#<id> / POOL#tag:<tag>   -                              draw POOL#active#tag:<tag>
- outcome guard USER#<id> / OUTCOME#<case>
- invitation    CASE#<case> / INVITE#<id>    gsi1 INBOX#<id> / <deadline>#<case> (while open)
- round draw    CASE#<case> / ROUND#<nnn>    (the reservation of a round's draw, then its panel)
- rules         CONFIG / RULES
"""

from __future__ import annotations

import zlib
from datetime import datetime

from quorum_common.vocabulary import as_utc

PROFILE_SK = "PROFILE"
PROFILE_SHARDS = 4
ENTRY_PREFIX = "POOL#tag:"
RULES_KEY = {"pk": "CONFIG", "sk": "RULES"}


def user_key(user_id: str, sk: str = PROFILE_SK) -> dict[str, str]:
    return {"pk": f"USER#{user_id}", "sk": sk}


def entry_sk(tag: str) -> str:
    return f"{ENTRY_PREFIX}{tag}"


def outcome_sk(case_id: str) -> str:
    return f"OUTCOME#{case_id}"


def invitation_key(case_id: str, reviewer_id: str) -> dict[str, str]:
    return {"pk": f"CASE#{case_id}", "sk": f"INVITE#{reviewer_id}"}


def round_key(case_id: str, round_: int) -> dict[str, str]:
    return {"pk": f"CASE#{case_id}", "sk": f"ROUND#{round_:03d}"}


def inbox_pk(reviewer_id: str) -> str:
    return f"INBOX#{reviewer_id}"


def profile_shard(user_id: str) -> int:
    """Profiles spread over a few gsi1 partitions so that profile writes do not share one."""
    return zlib.crc32(user_id.encode()) % PROFILE_SHARDS


def profiles_pk(shard: int) -> str:
    return f"PROFILES#{shard}"


def iso(moment: datetime) -> str:
    """Timestamps are stored as ISO-8601 in UTC (they sort as strings)."""
    return as_utc(moment).isoformat()
