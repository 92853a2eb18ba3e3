"""The one rule parameter a write checks against outside a run: the case extension cap.

The rules configuration itself is read once at start-up (`core.settings.Settings.rules`, a
`rules.config.RulesConfig`) and passed down; `rules.for_county(code)` gives a county's parameters.
"""

from __future__ import annotations

from rules.config import CountyRules


def extension_cap(county: CountyRules) -> int:
    """The county's extension cap: `case.overdue`'s `max_extension_days` parameter (the one the rule uses)."""
    return int(county.params("case.overdue")["max_extension_days"])
