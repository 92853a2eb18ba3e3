"""A frontend team reads the schema in GraphiQL: every type, field, argument, enum value and input field says what it is,
error codes are an enum, and every enum value has a Chinese label clients and reports use."""

from __future__ import annotations

import httpx
import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema

from rules.config import RulesConfig
from schema.labels import LABELS
from tests.intranet.schema_walk import graphql_schema

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def undocumented(schema: GraphQLSchema) -> list[str]:
    """Paths without a description: `Type`, `Type.field`, `Type.field(argument)`, `Enum.VALUE`, `Input.field`."""
    missing: list[str] = []
    for name, type_ in sorted(schema.type_map.items()):
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not (type_.description or "").strip():
            missing.append(name)
        if isinstance(type_, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in type_.values.items() if not (v.description or "").strip()]
        elif isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in type_.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                for arg_name, argument in getattr(field, "args", {}).items():
                    if not (argument.description or "").strip():
                        missing.append(f"{name}.{field_name}({arg_name})")
    return missing


def test_every_type_field_argument_enum_value_and_input_field_is_described() -> None:
    missing = undocumented(graphql_schema())
    assert not missing, (
        f"{len(missing)} undocumented schema paths; describe them on the strawberry definition or in "
        "schema/descriptions.py (DESCRIPTIONS), enum values in schema/labels.py:\n  " + "\n  ".join(missing)
    )


def test_every_enum_value_has_a_chinese_label() -> None:
    schema = graphql_schema()
    enums = {name: t for name, t in schema.type_map.items() if isinstance(t, GraphQLEnumType) and not name.startswith("__")}
    missing = [f"{name}.{value}" for name, t in enums.items() for value in t.values if value not in LABELS.get(name, {})]
    assert not missing, "enum values without a label in schema/labels.py:\n  " + "\n  ".join(missing)
    stale = [f"{name}.{value}" for name, values in LABELS.items() for value in values if name not in enums or value not in enums[name].values]
    assert not stale, f"labels for values the schema does not have: {stale}"


def test_user_error_codes_are_an_enum() -> None:
    schema = graphql_schema()
    code = schema.type_map["UserError"].fields["code"].type
    assert str(code) == "ErrorCode!"
    assert set(schema.type_map["ErrorCode"].values) == {"INVALID", "NOT_FOUND", "CONFLICT", "INVALID_STATE", "FORBIDDEN",
                                                              "EARLIER_THAN_LATEST_RUN", "FUTURE_AS_OF"}


@sqlite_only
async def test_a_client_reads_the_labels_and_a_refusal_carries_an_enum_code(client: httpx.AsyncClient) -> None:
    answer = (await client.post("/graphql", json={"query": '{ enumLabels(enum: "CaseStatus") { enum value label description } }'})).json()
    assert {"enum": "CaseStatus", "value": "REPORTED", "label": "已登记", "description": "Reported; open."} in answer["data"]["enumLabels"]
    everything = (await client.post("/graphql", json={"query": "{ enumLabels { enum } }"})).json()["data"]["enumLabels"]
    assert {row["enum"] for row in everything} == set(LABELS)

    refused = (await client.post("/graphql", json={"query": 'mutation { runCompliance(countyCode: "999999") { userErrors { code message } } }'})).json()
    assert refused["data"]["runCompliance"]["userErrors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_reports_print_labels_not_raw_values(demo: str) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from server.reports.formats import render
    from core.reports.service import run_report

    report = await run_report(rules=RulesConfig(), county_code="522728", first_day=date(2023, 1, 1), last_day=date(2023, 12, 31),
                              as_of=datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")), actor="test")
    csv = render(report, "csv").decode("utf-8-sig")
    evidence = [line for line in csv.splitlines() if "状态 " in line]
    assert evidence, "expected case findings with a status in their evidence"
    for line in evidence:
        assert "状态 REPORTED" not in line and "层级 VILLAGE" not in line and "层级 TOWNSHIP" not in line
    assert "状态 已登记" in csv or "状态 已受理" in csv
