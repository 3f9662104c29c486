"""`canary --auto`: a canary that promotes itself after a quiet bake, or rolls itself back at the first ALARM."""

from __future__ import annotations

import sys

from quorum_ops.bake import ALARMED, NO_DATA, Bake, parse_duration
from quorum_ops.commandline import EXIT_OK, EXIT_REFUSED, EXIT_ROLLED_BACK
from quorum_ops.moves import Release
from quorum_ops.plan import Refused


def canary_auto(release: Release, function: str, version: str, percent: str, bake: str, alarm: str | None,
                allow_no_data: bool) -> int:
    """Canary, watch the alarm for the bake, then promote (0) or roll back (3; 2 when it had no data)."""
    seconds, watched = parse_duration(bake), alarm or release.default_alarm
    try:
        note = release.gate.no_data_note(watched, allow_no_data) if release.alarms.state(watched) is None else ""
    except Refused as exc:
        release.record_refusal(function, str(exc))
        raise
    release.canary(function, version, percent)
    print(f"baking {function} version {version} for {bake}, watching alarm {watched}", flush=True)
    verdict = Bake(release.alarms.state, release.clock, release.sleep).watch(watched, seconds)
    if verdict == ALARMED:
        release.rollback(function, note=f"auto: alarm {watched} went into ALARM during the bake")
        return EXIT_ROLLED_BACK
    if verdict == NO_DATA and not allow_no_data:
        release.rollback(function, note=f"auto: alarm {watched} had no data for the whole bake")
        print(f"quorum-release: refused: alarm {watched} had no data for the whole bake; the canary was rolled "
              "back and live is as before (--allow-no-data promotes anyway, recorded)", file=sys.stderr)
        return EXIT_REFUSED
    release.promote(function, alarm, allow_no_data, note=note or ("auto: no data, allowed" if verdict == NO_DATA
                                                              else f"auto: {watched} quiet for {bake}"))
    return EXIT_OK
