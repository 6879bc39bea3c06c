"""The Redshift role gold builds with, and the SQL that sets it up again and again safely.

dbt never connects as the admin user. It signs in with IAM (the profile's
`method: iam_role`): Redshift Serverless maps the role it runs as (the ECS task role) to
the database user `IAMR:<role name>`, with temporary credentials and no password anywhere.
That user gets gold's privileges through one database role. Only this set-up step uses the
admin user, through the Redshift Data API with the secret Redshift manages: Redshift reads
the password, nobody pastes it.

Redshift has no `CREATE ROLE / USER IF NOT EXISTS`: the caller looks up what exists and
`setup_statements` creates only what is missing; every GRANT can run again unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIMPLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,126}$")
IAM_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
IAM_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
IAM_USER_PREFIX = "IAMR:"  # how Redshift names a database user signed in with an IAM role
# Redshift Data API statements, `:name` bound as a parameter.
EXISTING_ROLE_SQL = "SELECT 1 FROM svv_roles WHERE role_name = :name"
EXISTING_USER_SQL = "SELECT 1 FROM pg_user WHERE usename = :name"


@dataclass(frozen=True)
class GoldAccess:
    """Who builds gold and what it may touch."""

    iam_role_name: str  # the IAM role dbt runs as
    database: str
    spectrum_role_arn: str  # the role Redshift assumes to read silver on S3
    gold_schema: str = "gold"
    database_role: str = "ecom_gold_builder"

    def __post_init__(self) -> None:
        for label, value in (
            ("database", self.database),
            ("gold schema", self.gold_schema),
            ("database role", self.database_role),
        ):
            if not SIMPLE_NAME.match(value):
                raise ValueError(f"{label} {value!r} is not a plain lower-case SQL name")
        if not IAM_ROLE_NAME.match(self.iam_role_name):
            raise ValueError(f"{self.iam_role_name!r} is not an IAM role name")
        if not IAM_ROLE_ARN.match(self.spectrum_role_arn):
            raise ValueError(f"{self.spectrum_role_arn!r} is not an IAM role ARN")

    @property
    def database_user(self) -> str:
        return IAM_USER_PREFIX + self.iam_role_name


def setup_statements(access: GoldAccess, role_exists: bool, user_exists: bool) -> list[str]:
    """What makes `access` true, given what exists already.

    The user is created with PASSWORD DISABLE: it can only sign in through IAM. Gold's
    privileges: create schemas in the database (the Spectrum schema, which `dbt
    run-operation create_spectrum_schema` then owns), temporary tables (dbt's incremental
    models), everything in the gold schema, and using the Spectrum role for silver.
    """
    role, user = access.database_role, f'"{access.database_user}"'
    statements = []
    if not role_exists:
        statements.append(f"CREATE ROLE {role}")
    if not user_exists:
        statements.append(f"CREATE USER {user} PASSWORD DISABLE")
    return [
        *statements,
        f"GRANT ROLE {role} TO {user}",
        f"GRANT CREATE, TEMP ON DATABASE {access.database} TO ROLE {role}",
        f"CREATE SCHEMA IF NOT EXISTS {access.gold_schema}",
        f"GRANT ALL ON SCHEMA {access.gold_schema} TO ROLE {role}",
        f"GRANT ASSUMEROLE ON '{access.spectrum_role_arn}' TO ROLE {role} FOR SPECTRUM",
    ]
