"""Per-county rule settings: parameter overrides and the working calendar read from one TOML file.

The file is named by `LIANXI_RULES_CONFIG` (`core.settings.Settings.rules_config`). Format::

    [calendar]                              # optional, for every county (default: kind = "national")
    kind = "national"                       # national | plain (calendar days only)
    add = ["2023-10-09"]                    # extra rest days (a county holiday)
    remove = ["2023-10-02"]                 # days that count as working days
    [parameters."case.overdue"]             # optional defaults for every county
    D = 30
    [counties."522728".calendar]            # a county's keys replace the top-level ones, key by key
    add = ["2023-10-09", "2023-10-10"]
    [counties."522728".parameters."cadence.thematic_monthly"]
    N = 3

The older `holidays = [...]` key (top level or in a county) still works and means `calendar.add`;
giving both at one level is refused, so it is never unclear which list counts. Every bad value
raises `RulesConfigError` naming the key path, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rules.catalog import CATALOG, ParamValue, default_parameters
from rules.workdays import KINDS, NATIONAL_CALENDAR, WorkCalendar, coverage

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOP_KEYS = frozenset({"calendar", "holidays", "parameters", "counties"})
_COUNTY_KEYS = frozenset({"calendar", "holidays", "parameters"})
_CALENDAR_KEYS = frozenset({"kind", "add", "remove"})


class RulesConfigError(ValueError):
    """The rules configuration file is unreadable or holds a bad value (the message names the key)."""


@dataclass(frozen=True, slots=True)
class CountyRules:
    # The settings one county's run uses, recorded in its RuleRun.

    parameters: Mapping[str, Mapping[str, ParamValue]]
    calendar: WorkCalendar = NATIONAL_CALENDAR  # case deadlines' rest days (rules.workdays)

    def params(self, rule_id: str) -> Mapping[str, ParamValue]:
        return self.parameters[rule_id]

    def as_record(self) -> dict[str, Any]:
        """A JSON-safe copy for RuleRun.parameters and alert evidence."""
        return {
            "rules": {rule_id: dict(values) for rule_id, values in self.parameters.items()},
            "calendar": self.calendar.as_record(),
        }


@dataclass(frozen=True, slots=True)
class RulesConfig:
    defaults: CountyRules = field(default_factory=lambda: CountyRules(parameters=default_parameters()))
    counties: Mapping[str, CountyRules] = field(default_factory=dict)

    def for_county(self, county_code: str) -> CountyRules:
        """The settings for one county: its overrides on top of the file's defaults and the catalog's."""
        return self.counties.get(county_code, self.defaults)


def _key(path: list[str]) -> str:
    """A TOML dotted key for error messages (quoted parts where TOML needs quotes, e.g. rule ids)."""
    return ".".join(part if _BARE_KEY.fullmatch(part) else f'"{part}"' for part in path)


def _table(value: Any, path: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesConfigError(f"{_key(path)} must be a table")
    return value


def _days(value: Any, path: list[str]) -> frozenset[date]:
    if not isinstance(value, list):
        raise RulesConfigError(f"{_key(path)} must be a list of dates (\"2023-10-02\")")
    days: set[date] = set()
    for index, item in enumerate(value):
        if isinstance(item, date):
            days.add(item)
            continue
        try:
            days.add(date.fromisoformat(item))
        except (TypeError, ValueError):
            raise RulesConfigError(f"{_key(path)}[{index}] is not a date (YYYY-MM-DD): {item!r}") from None
    return frozenset(days)


def _parameters(
    value: Any, path: list[str], base: Mapping[str, Mapping[str, ParamValue]]
) -> dict[str, dict[str, ParamValue]]:
    merged = {rule_id: dict(values) for rule_id, values in base.items()}
    for rule_id, overrides in _table(value, path).items():
        spec = CATALOG.get(rule_id)
        if spec is None:
            raise RulesConfigError(f"{_key([*path, rule_id])}: unknown rule id (known: {', '.join(sorted(CATALOG))})")
        for name, raw in _table(overrides, [*path, rule_id]).items():
            key = _key([*path, rule_id, name])
            param = spec.parameter(name)
            if param is None:
                known = ", ".join(p.name for p in spec.parameters) or "none"
                raise RulesConfigError(f"{key}: unknown parameter (the rule takes: {known})")
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise RulesConfigError(f"{key} must be a whole number; got {raw!r}")
            if not param.minimum <= raw <= param.maximum:
                raise RulesConfigError(f"{key} must be between {param.minimum} and {param.maximum}; got {raw}")
            merged[rule_id][name] = raw
    return merged


def _calendar(table: dict[str, Any], path: list[str], base: WorkCalendar) -> WorkCalendar:
    """The `calendar` table (and the older `holidays` list, meaning `calendar.add`) over the inherited calendar."""
    section = _table(table.get("calendar", {}), [*path, "calendar"])
    unknown = sorted(set(section) - _CALENDAR_KEYS)
    if unknown:
        known = ", ".join(sorted(_CALENDAR_KEYS))
        raise RulesConfigError(f"{_key([*path, 'calendar', unknown[0]])}: unknown key (allowed: {known})")
    if "holidays" in table and "add" in section:
        raise RulesConfigError(
            f"{_key([*path, 'holidays'])}: the older name of {_key([*path, 'calendar', 'add'])}; give only calendar.add"
        )
    kind = section.get("kind", base.kind)
    if kind not in KINDS:
        raise RulesConfigError(f"{_key([*path, 'calendar', 'kind'])} must be one of {', '.join(KINDS)}; got {kind!r}")
    add = remove = None
    if "add" in section:
        add = _days(section["add"], [*path, "calendar", "add"])
    elif "holidays" in table:
        add = _days(table["holidays"], [*path, "holidays"])
    if "remove" in section:
        remove = _days(section["remove"], [*path, "calendar", "remove"])
    if add is not None and remove is not None and (both := sorted(add & remove)):
        raise RulesConfigError(f"{_key([*path, 'calendar'])}: {both[0].isoformat()} is both in add and in remove")
    # a list given here wins over the inherited other one where they meet
    remove = base.remove - add if remove is None and add is not None else remove
    add = base.add - remove if add is None and remove is not None else add
    return WorkCalendar(kind=kind, add=base.add if add is None else add, remove=base.remove if remove is None else remove)


def _county_rules(table: dict[str, Any], path: list[str], base: CountyRules, allowed: frozenset[str]) -> CountyRules:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise RulesConfigError(f"{_key([*path, unknown[0]])}: unknown key (allowed: {', '.join(sorted(allowed))})")
    return CountyRules(
        parameters=_parameters(table["parameters"], [*path, "parameters"], base.parameters)
        if "parameters" in table
        else base.parameters,
        calendar=_calendar(table, path, base.calendar),
    )


def parse_rules_config(document: Mapping[str, Any]) -> RulesConfig:
    """Validate a parsed TOML document into per-county settings; raise RulesConfigError naming the bad key."""
    base = CountyRules(parameters=default_parameters())
    defaults = _county_rules(dict(document), [], base, _TOP_KEYS)
    counties: dict[str, CountyRules] = {}
    for code, table in _table(document.get("counties", {}), ["counties"]).items():
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise RulesConfigError(f"{_key(['counties', code])}: a county code has 6 digits")
        counties[code] = _county_rules(_table(table, ["counties", code]), ["counties", code], defaults, _COUNTY_KEYS)
    return RulesConfig(defaults=defaults, counties=counties)


def load_rules_config(path: Path | None) -> RulesConfig:
    """Read the TOML file (or use the catalog defaults when no file is configured)."""
    if path is None:
        return RulesConfig()
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesConfigError(f"cannot read rules config {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesConfigError(f"rules config {path} is not valid TOML: {exc}") from exc
    try:
        return parse_rules_config(document)
    except RulesConfigError as exc:
        raise RulesConfigError(f"{path}: {exc}") from None


def calendar_status(config: RulesConfig, *, today: date) -> dict[str, Any]:
    """What `/healthz` shows of the working calendar: the national package's coverage (and the years this
    year and next that fall back to weekends only), the default kind, and the counties whose calendar differs."""
    status = coverage(today=today)
    status["kind"] = config.defaults.calendar.kind
    differing = {code: rules.calendar.kind for code, rules in config.counties.items() if rules.calendar != config.defaults.calendar}
    if differing:
        status["counties"] = differing
    return status
