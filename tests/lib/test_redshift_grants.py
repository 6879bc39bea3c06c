"""Gold's Redshift role: SQL that parses as Redshift, runs again safely, and never over-grants.

Offline like tests/gold/test_redshift_compile.py: sqlglot parses every statement in the
Redshift dialect; statements sqlglot models only as commands (roles, users, ASSUMEROLE) are
checked token by token.
"""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.redshift import Redshift
from sqlglot.tokens import TokenType

from ecom_platform import deploy
from ecom_platform.lib.redshift_grants import GoldAccess, setup_statements

ENDPOINT_DOMAIN = "123456789012.eu-west-1.redshift-serverless.amazonaws.com"
SPECTRUM_ROLE = "arn:aws:iam::123456789012:role/ecom-dev-spectrum"
ACCESS = GoldAccess(
    iam_role_name="ecom-dev-dagster-task", database="ecom", spectrum_role_arn=SPECTRUM_ROLE
)


def tokens(statement: str) -> list[tuple[TokenType, str]]:
    return [(t.token_type, t.text) for t in Redshift().tokenize(statement)]


@pytest.mark.parametrize(
    ("role_exists", "user_exists"), [(False, False), (True, False), (True, True)]
)
def test_every_statement_parses_as_redshift(role_exists: bool, user_exists: bool) -> None:
    for statement in setup_statements(ACCESS, role_exists=role_exists, user_exists=user_exists):
        parsed = sqlglot.parse(statement, read="redshift")
        assert len(parsed) == 1 and parsed[0] is not None, statement


def test_a_fresh_database_gets_the_role_and_the_iam_user_first() -> None:
    statements = setup_statements(ACCESS, role_exists=False, user_exists=False)
    assert statements[0] == "CREATE ROLE ecom_gold_builder"
    # The user of an IAM role sign-in, quoted (the colon), and unable to use a password.
    assert tokens(statements[1]) == [
        (TokenType.CREATE, "CREATE"),
        (TokenType.CURRENT_USER, "USER"),
        (TokenType.IDENTIFIER, "IAMR:ecom-dev-dagster-task"),
        (TokenType.VAR, "PASSWORD"),
        (TokenType.VAR, "DISABLE"),
    ]
    assert statements[2] == 'GRANT ROLE ecom_gold_builder TO "IAMR:ecom-dev-dagster-task"'


def test_a_second_run_creates_nothing_and_grants_the_same() -> None:
    first = setup_statements(ACCESS, role_exists=False, user_exists=False)
    again = setup_statements(ACCESS, role_exists=True, user_exists=True)
    assert not [s for s in again if s.startswith(("CREATE ROLE", "CREATE USER"))]
    assert again == first[2:]


def test_the_grants_cover_what_gold_does_and_no_more() -> None:
    statements = setup_statements(ACCESS, role_exists=True, user_exists=True)
    parsed = [sqlglot.parse_one(s, read="redshift") for s in statements]
    grants = {
        (
            g.args["kind"],
            g.args["securable"].sql("redshift"),
            tuple(p.sql("redshift") for p in g.args["privileges"]),
        )
        for g in parsed
        if isinstance(g, exp.Grant)
    }
    assert grants == {
        ("DATABASE", "ecom", ("CREATE", "TEMP")),  # the Spectrum schema; dbt's temp tables
        ("SCHEMA", "gold", ("ALL",)),  # dbt creates and replaces gold's tables
    }
    for grant in (g for g in parsed if isinstance(g, exp.Grant)):
        assert [p.sql("redshift") for p in grant.args["principals"]] == ["ROLE ecom_gold_builder"]
    assert any(isinstance(p, exp.Create) and p.this.sql() == "gold" for p in parsed)
    assert tokens(statements[-1])[:3] == [
        (TokenType.GRANT, "GRANT"),
        (TokenType.VAR, "ASSUMEROLE"),
        (TokenType.ON, "ON"),
    ]
    assert (TokenType.STRING, SPECTRUM_ROLE) in tokens(statements[-1])
    text = " ".join(statements).upper()
    assert "SUPERUSER" not in text and "ALL ON DATABASE" not in text and "PUBLIC" not in text


@pytest.mark.parametrize(
    "overrides",
    [
        {"database": "ecom; DROP TABLE x"},
        {"iam_role_name": 'a" TO admin --'},
        {"spectrum_role_arn": "arn:aws:iam::1:role/x' OR '1"},
        {"gold_schema": "Gold"},
    ],
)
def test_names_that_could_escape_the_sql_are_refused(overrides: dict[str, str]) -> None:
    values = {
        "iam_role_name": "ecom-dev-dagster-task",
        "database": "ecom",
        "spectrum_role_arn": SPECTRUM_ROLE,
        **overrides,
    }
    with pytest.raises(ValueError):
        GoldAccess(**values)


def test_the_deploy_command_prints_the_sql_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {
        "AWS_REGION": "eu-west-1",
        "ECOM_GLUE_JOB_NAME": "ecom-dev-silver",
        "ECOM_REDSHIFT_HOST": "wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com",
        "ECOM_REDSHIFT_DATABASE": "ecom",
        "ECOM_REDSHIFT_SPECTRUM_ROLE_ARN": SPECTRUM_ROLE,
    }.items():
        monkeypatch.setenv(name, value)
    argv = ["redshift-access", "--iam-role-name", "ecom-dev-dagster-task", "--print-sql"]
    assert deploy.main(argv) == 0
    printed = capsys.readouterr().out
    assert [s.sql("redshift") for s in sqlglot.parse(printed, read="redshift") if s] == [
        sqlglot.parse_one(s, read="redshift").sql("redshift")
        for s in setup_statements(ACCESS, role_exists=False, user_exists=False)
    ]


def test_the_deploy_command_names_missing_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ECOM_REDSHIFT_HOST", raising=False)
    argv = ["redshift-access", "--iam-role-name", "ecom-dev-dagster-task", "--print-sql"]
    assert deploy.main(argv) == 2
    assert "ECOM_REDSHIFT_HOST" in capsys.readouterr().err


class FakeDataApi:
    """The Redshift Data API calls the deploy step makes; `existing` names what exists."""

    def __init__(self, existing: set[str]) -> None:
        self.existing = existing
        self.calls: list[dict] = []

    def execute_statement(self, **call) -> dict:
        self.calls.append(call)
        return {"Id": str(len(self.calls) - 1)}

    def describe_statement(self, Id: str) -> dict:  # noqa: N803 - the API's name
        call = self.calls[int(Id)]
        values = {p["value"] for p in call.get("Parameters", [])}
        found = bool(values & self.existing)
        return {"Status": "FINISHED", "HasResultSet": "Parameters" in call, "ResultRows": found}


def test_the_deploy_step_runs_through_the_data_api_with_the_admin_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import boto3

    for name, value in {
        "AWS_REGION": "eu-west-1",
        "ECOM_GLUE_JOB_NAME": "ecom-dev-silver",
        "ECOM_REDSHIFT_HOST": f"ecom-dev-warehouse.{ENDPOINT_DOMAIN}",
        "ECOM_REDSHIFT_DATABASE": "ecom",
        "ECOM_REDSHIFT_SPECTRUM_ROLE_ARN": SPECTRUM_ROLE,
    }.items():
        monkeypatch.setenv(name, value)
    fake = FakeDataApi(existing={"ecom_gold_builder"})  # a second run: the role exists
    monkeypatch.setattr(boto3, "client", lambda service, region_name: fake)
    secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!admin"

    ran = deploy.apply_redshift_access(ACCESS, secret)

    assert ran == setup_statements(ACCESS, role_exists=True, user_exists=False)
    assert {c["WorkgroupName"] for c in fake.calls} == {"ecom-dev-warehouse"}
    assert {c["SecretArn"] for c in fake.calls} == {secret}
    assert [c["Sql"] for c in fake.calls[2:]] == ran


def test_only_a_serverless_endpoint_names_a_workgroup() -> None:
    with pytest.raises(deploy.DeployError, match="not a Redshift Serverless endpoint"):
        deploy.serverless_workgroup("cluster.abc.eu-west-1.redshift.amazonaws.com")
