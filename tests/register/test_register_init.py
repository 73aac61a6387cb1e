"""`register init` / `register upgrade` build every table on both backends, and the models match the migrations."""
from __future__ import annotations

import sqlalchemy as sa
from register_helpers import run_cli

from calculator.register.db import make_engine
from calculator.register.migrate import head_revision, metadata

CORE_TABLES = {"users", "projects", "policies", "households", "members", "offers", "agreements", "oplog", "oplog_head"}


def test_init_creates_the_tables(register_url):
    done = run_cli("init", url=register_url)
    assert "register created" in done.stdout
    engine = make_engine(register_url)
    tables = set(sa.inspect(engine).get_table_names())
    assert CORE_TABLES <= tables
    assert set(metadata().tables) <= tables
    with engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar_one() == head_revision()
    engine.dispose()
    again = run_cli("init", url=register_url)
    assert "up to date" in again.stdout
    assert "up to date" in run_cli("upgrade", url=register_url).stdout


def test_models_match_the_migrations(register_engine):
    """What Alembic would autogenerate against a migrated database is nothing: models.py and the revisions agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with register_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata())
    assert diff == []


def test_a_register_not_created_is_refused(register_url):
    done = run_cli("upgrade", url=register_url, check=2)
    assert "register init" in done.stderr and "登记簿尚未建立" in done.stderr
    done = run_cli("user", "add", "ann", "--role", "supervisor", url=register_url, check=2)
    assert "register init" in done.stderr


def test_bad_database_urls_are_refused(tmp_path):
    done = run_cli("init", url="mysql://x@localhost/db", check=2)
    assert "only SQLite and PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("init", url=f"sqlite:///{tmp_path}/no/such/folder/r.db", check=2)
    assert "does not exist" in done.stderr
    done = run_cli("init", url="postgresql://nobody@127.0.0.1:1/none", check=2)
    assert "cannot use the database" in done.stderr and "Traceback" not in done.stderr
