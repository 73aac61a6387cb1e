"""Helpers for the register tests: the CLI in this process (fast) or in a real one (for concurrency and kill tests)."""
from __future__ import annotations

import contextlib
import io
import itertools
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, url: str, check: int | None = 0):
    """`python -m calculator register --db URL ARGS…` run in this process; asserts the exit status unless check=None.
    Returns .returncode, .stdout, .stderr like a finished process."""
    from calculator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["register", "--db", url, *args])
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code
    done = SimpleNamespace(returncode=status, stdout=out.getvalue(), stderr=err.getvalue())
    if check is not None:
        assert done.returncode == check, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def cli_process(*args: str, url: str, **popen) -> subprocess.Popen:
    """The same command started as a separate process (not waited for)."""
    return subprocess.Popen([sys.executable, "-m", "calculator", "register", "--db", url, *args], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, **popen)


_names = itertools.count(1)


@contextlib.contextmanager
def postgres_database(base_url: str):
    """A new empty database on the test server; dropped afterwards."""
    import sqlalchemy as sa

    name = f"register_{os.getpid()}_{next(_names)}"
    admin = sa.create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        yield f"{base_url}/{name}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
