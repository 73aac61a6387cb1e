"""Register fixtures: a PostgreSQL server of our own for the session, and a fresh empty register per test on each backend."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from register_helpers import postgres_database

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("sqlite", "postgresql")


def pg_bin(name: str) -> str | None:
    """initdb / pg_ctl from PATH, else from the Debian package's folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server in a temporary folder on a free loopback port, trust auth; yields the base URL."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; .ci/run installs them")
    folder = tempfile.mkdtemp(prefix="anzhi-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = os.path.join(folder, "data")
    subprocess.run(_as_postgres([initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"]),
                   check=True, capture_output=True)
    port = None
    for _ in range(5):  # another worker may take the port between our probe and the server's bind
        port = _free_port()
        started = subprocess.run(_as_postgres([
            pg_ctl, "-D", data, "-l", os.path.join(folder, "log"), "-w", "-t", "60", "start", "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"]),
            check=False, capture_output=True)
        if started.returncode == 0:
            break
    else:
        pytest.fail(f"PostgreSQL did not start: {started.stderr.decode(errors='replace')}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]), check=False,
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def register_url(request, tmp_path):
    """A URL of a fresh, empty database (no tables), once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.db'}"
        return
    with postgres_database(request.getfixturevalue("postgres_server")) as url:
        yield url


@pytest.fixture
def register_engine(register_url):
    """An engine on a freshly initialised register (tables at the newest revision)."""
    from calculator.register.db import make_engine
    from calculator.register.migrate import upgrade

    engine = make_engine(register_url)
    upgrade(engine)
    yield engine
    engine.dispose()
