"""The settings and the rules file are read once, at start-up, and passed down (issue 16).

A process answers with the configuration it started with: editing the rules file under a running
app changes nothing until the next start (and no run, write or loader reads it on the event loop).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import SettingsError, load_settings
from rules.config import RulesConfig
from tests.api.graphql import query
from tests.app_with import client_with
from tests.rules import factories as f

THEMATIC = "cadence.thematic_monthly"
PARAMETERS = """query($county: String) { rules(countyCode: $county) { id parameters { name value } } }"""
RUN = """mutation($county: String!, $asOf: DateTime) {
  runCompliance(countyCode: $county, asOf: $asOf) { run { parameters } userErrors { code message } }
}"""


def _n(rules: list[dict[str, object]]) -> object:
    (rule,) = [r for r in rules if r["id"] == THEMATIC]
    return {p["name"]: p["value"] for p in rule["parameters"]}["N"]  # type: ignore[index, union-attr]


def _write(path: Path, n: int) -> Path:
    path.write_text(f'[counties."522728".parameters."{THEMATIC}"]\nN = {n}\n', encoding="utf-8")
    return path


async def test_the_app_keeps_the_rules_it_started_with_when_the_file_changes(orm: str, tmp_path: Path) -> None:
    config = _write(tmp_path / "rules.toml", 3)
    # the entry point's one read: the environment (as a mapping) and the file it names
    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false",
                              "LIANXI_RULES_CONFIG": str(config)})
    await f.world()
    async with client_with(settings) as client:
        assert _n((await query(client, PARAMETERS, county="522728"))["rules"]) == 3
        _write(config, 5)  # edited (or broken) under the running app
        assert _n((await query(client, PARAMETERS, county="522728"))["rules"]) == 3
        run = (await query(client, RUN, county="522728", asOf="2023-02-01T00:00:00+08:00"))["runCompliance"]
        assert run["userErrors"] == [] and run["run"]["parameters"]["rules"][THEMATIC] == {"N": 3}
        config.write_text("not toml [", encoding="utf-8")
        assert _n((await query(client, PARAMETERS, county="522728"))["rules"]) == 3
    assert load_settings({"LIANXI_RULES_CONFIG": str(_write(config, 5))}).rules.for_county("522728").params(THEMATIC) == {"N": 5}


def test_a_bad_rules_file_fails_at_start_up_naming_the_variable_and_the_key(tmp_path: Path) -> None:
    config = tmp_path / "rules.toml"
    config.write_text(f'[counties."522728".parameters."{THEMATIC}"]\nN = "three"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"LIANXI_RULES_CONFIG: .*rules.toml: .*N must be a whole number"):
        load_settings({"LIANXI_RULES_CONFIG": str(config)})


def test_settings_without_a_rules_file_carry_the_catalog_defaults() -> None:
    assert load_settings({}).rules == RulesConfig()
