"""A throwaway PostgreSQL server on 127.0.0.1, shaped like the production RDS instance.

Debian's `postgresql` package (installed by the Makefile) provides `initdb` and `pg_ctl`.
Like RDS it needs a password (scram) and TLS: `deploy/dagster.prod.yaml` connects with
`sslmode: require`, so the server gets a self-signed certificate. PostgreSQL refuses to run
as root, so as root every server command runs as the `postgres` user in a folder it owns.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import free_port

SUPERUSER = "postgres"


def postgres_bin() -> Path:
    """The newest installed server's bin folder (Debian keeps it off PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent.parent)
    if not found:
        pytest.fail("PostgreSQL is not installed: `make test` installs Debian's `postgresql`")
    return found[-1].parent


def as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SUPERUSER, "--", *command] if os.geteuid() == 0 else command


def run_server_tool(command: list[str]) -> None:
    result = subprocess.run(as_server_user(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class PostgresServer:
    """A running server; `stop` ends it and removes its folder."""

    root: Path
    port: int
    password: str

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def connect(self, db_name: str = "postgres"):
        return psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname=db_name,
            sslmode="require",
        )

    def create_database(self, name: str) -> str:
        connection = self.connect()
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return name

    def dagster_environment(self, db_name: str) -> dict[str, str]:
        """The variables deploy/dagster.prod.yaml reads, as the ECS task definitions set them."""
        return {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_DB": db_name,
            "DAGSTER_PG_USER": SUPERUSER,
            "DAGSTER_PG_PASSWORD": self.password,
        }

    def stop(self) -> None:
        pg_ctl = str(postgres_bin() / "pg_ctl")
        run_server_tool([pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)


def make_certificate(root: Path) -> tuple[Path, Path]:
    """A self-signed certificate: `sslmode=require` encrypts without verifying, as on RDS."""
    cert, key = root / "server.crt", root / "server.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return cert, key


def initialise(root: Path, password: str) -> None:
    password_file = root / "password"
    password_file.write_text(password)
    data_dir = root / "data"
    command = [str(postgres_bin() / "initdb"), "-D", str(data_dir), "-U", SUPERUSER]
    command += ["--auth-host=scram-sha-256", "--auth-local=trust", f"--pwfile={password_file}"]
    run_server_tool(command)
    password_file.unlink()


def start_postgres(attempts: int = 3) -> PostgresServer:
    """initdb + pg_ctl in a fresh folder; a new port per attempt (another session may take one)."""
    # Not pytest's tmp_path: it is private to root, and the server runs as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="ecom-pg-"))
    password = secrets.token_hex(16)
    cert, key = make_certificate(root)
    if os.geteuid() == 0:
        shutil.chown(root, SUPERUSER)
        for path in (cert, key):
            shutil.chown(path, SUPERUSER)
    initialise(root, password)
    for attempt in range(1, attempts + 1):
        server = PostgresServer(root=root, port=free_port(), password=password)
        options = f"-h 127.0.0.1 -p {server.port} -k {root} -c ssl=on"
        options += f" -c ssl_cert_file={cert} -c ssl_key_file={key}"
        command = [str(postgres_bin() / "pg_ctl"), "-D", str(server.data_dir), "-w", "-t", "60"]
        command += ["-l", str(root / "server.log"), "-o", options, "start"]
        try:
            run_server_tool(command)
            return server
        except RuntimeError:
            if attempt == attempts:
                log = (root / "server.log").read_text(errors="replace")[-2000:]
                shutil.rmtree(root, ignore_errors=True)
                raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None
    raise AssertionError("unreachable")
