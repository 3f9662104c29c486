"""The content modules that report to Quorum and the reasons each accepts."""

from __future__ import annotations

COMMON_REASONS: tuple[str, ...] = ("spam", "abuse", "fraud", "other")

# Module-specific reasons; ARCHITECTURE.md §3 names the first of each, the rest are ours
# (docs/voting.md lists them with their meaning).
MODULE_REASONS: dict[str, tuple[str, ...]] = {
    "listing": ("prohibited_item", "counterfeit", "misleading_description"),
    "post": ("hate_speech", "misinformation", "privacy_violation"),
    "comment": ("harassment", "hate_speech", "privacy_violation"),
    "chat": ("harassment", "off_platform_payment", "threat", "privacy_violation"),
    "review": ("fake_review", "extortion", "privacy_violation"),
}


def reasons_for(module: str) -> tuple[str, ...]:
    """Every reason a report on `module` content may give."""
    return COMMON_REASONS + MODULE_REASONS.get(module, ())


def is_known_reason(module: str, reason: str) -> bool:
    """Whether `reason` is accepted for `module`."""
    return reason in reasons_for(module)
