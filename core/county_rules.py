"""The parameters and holidays a county's rules use, for the run and for the writes that check against them."""

from __future__ import annotations

from rules.config import CountyRules, load_rules_config
from core.settings import load_settings


def county_rules(county_code: str) -> CountyRules:
    """The parameters and holidays a county's run uses (catalog defaults patched by LIANXI_RULES_CONFIG)."""
    return load_rules_config(load_settings().rules_config).for_county(county_code)


def extension_cap(county_code: str) -> int:
    """The county's extension cap: `case.overdue`'s `max_extension_days` parameter (the one the rule uses)."""
    return int(county_rules(county_code).params("case.overdue")["max_extension_days"])
