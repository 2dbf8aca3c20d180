"""A throwaway PostgreSQL server for the tests: a cluster in a temporary folder, Unix socket only.

`QUALCODE_TEST_PG_URL` names a server to use instead (`.ci/run` starts one). Otherwise the
server binaries are looked up on PATH and in /usr/lib/postgresql/*/bin; as root the cluster is
run as the `postgres` user (PostgreSQL refuses to run as root). When no server can be started,
the tests that need one fail with the reason; they are never skipped silently.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

ENV_URL = "QUALCODE_TEST_PG_URL"


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server could be started or reached."""


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if candidates:
        return Path(candidates[-1]).parent
    raise ServerUnavailable(
        "PostgreSQL server binaries (pg_ctl, initdb) not found: install PostgreSQL "
        "(Debian: apt-get install postgresql; .ci/run does this) or set "
        f"{ENV_URL}=postgresql+psycopg://user@host/db")


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ServerUnavailable("running as root without `runuser` to start PostgreSQL as postgres")
    return [runuser, "-u", "postgres", "--", *cmd]


@dataclass
class Cluster:
    """A running cluster; `url(db)` gives the SQLAlchemy URL of one database in it."""

    folder: Path
    bindir: Path
    port: int = 5432

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://qualcode@/{database}?host={self.folder}&port={self.port}"

    def stop(self) -> None:
        subprocess.run(_as_server_user([str(self.bindir / "pg_ctl"), "-D",
                                        str(self.folder / "data"), "-m", "immediate", "stop"]),
                       capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start in a new temporary folder; raises ServerUnavailable with the reason."""
    bindir = _bindir()
    folder = Path(tempfile.mkdtemp(prefix="qcpg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    steps = [
        [str(bindir / "initdb"), "-D", str(data), "-U", "qualcode", "-A", "trust",
         "-E", "UTF8", "--no-locale", "--no-sync"],
        [str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(folder / "log"),
         "-o", f"-k {folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
               "-c synchronous_commit=off -c max_connections=200", "start"],
    ]
    for cmd in steps:
        done = subprocess.run(_as_server_user(cmd), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = (folder / "log").read_text() if (folder / "log").exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise ServerUnavailable(f"{Path(cmd[0]).name} failed: "
                                    f"{(done.stderr or done.stdout).strip()} {log[-2000:]}")
    return Cluster(folder, bindir)


def new_database(admin_url: str) -> str:
    """Create an empty database on the server and return its URL."""
    from sqlalchemy import create_engine, make_url, text

    name = "t_" + uuid.uuid4().hex[:16]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
