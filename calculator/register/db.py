"""Connecting to the register: an engine from a URL (SQLite by default, PostgreSQL for an office) and write transactions."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from .errors import RegisterError

DEFAULT_URL = "sqlite:///data/anzhi.db"
URL_VARIABLE = "ANZHI_DATABASE_URL"
BUSY_TIMEOUT_S = 60  # a second clerk's write waits this long for the first one's to finish
CACHE_KIB = 131072  # SQLite page cache per connection (default 2 MB): an import of 100,000 grows indexes of a 0.7 GB file


def database_url(url: str | None = None) -> str:
    """The URL given, else $ANZHI_DATABASE_URL, else the SQLite file data/anzhi.db (relative to the working folder)."""
    return url or os.environ.get(URL_VARIABLE) or DEFAULT_URL


def backend(engine: Engine) -> str:
    """'sqlite' or 'postgresql'."""
    return engine.dialect.name


def make_engine(url: str | None = None, *, create_folder: bool = False) -> Engine:
    """An engine for the register at `url`. SQLite: WAL, foreign keys on, a busy timeout, and writes that begin
    IMMEDIATE so two writers queue instead of one failing at commit. PostgreSQL through psycopg 3."""
    text = database_url(url)
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise RegisterError("database_url", text, f"数据库地址“{text}”无效（例如 sqlite:///data/anzhi.db 或 "
                            "postgresql://用户@主机/库名）", f"the database URL '{text}' is not valid (e.g. "
                            "sqlite:///data/anzhi.db or postgresql://user@host/dbname)") from None
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.get_backend_name() != "sqlite":
        raise RegisterError("database_url", parsed.render_as_string(hide_password=True),
                            f"不支持的数据库“{parsed.get_backend_name()}”：仅支持 SQLite 和 PostgreSQL",
                            f"unsupported database '{parsed.get_backend_name()}': only SQLite and PostgreSQL")
    if parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        if not folder.is_dir():
            if not create_folder:
                raise RegisterError("database_url", text, f"数据库文件夹不存在：{folder}",
                                    f"the database folder does not exist: {folder}")
            folder.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
    _sqlite_events(engine)
    return engine


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below), so writes can be IMMEDIATE
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        immediate = connection.get_execution_options().get("register_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A write: everything in the block commits together or not at all. On SQLite the write lock is taken at the
    start (BEGIN IMMEDIATE); on PostgreSQL, lock the rows a decision rests on with `.with_for_update()`."""
    session = Session(engine, expire_on_commit=False)
    try:
        with session:
            session.connection(execution_options={"register_write": True})
            yield session
            session.commit()
    finally:
        _write_refusals(engine, session)


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session (rolled back at the end)."""
    session = Session(engine)
    try:
        with session:
            yield session
    finally:
        _write_refusals(engine, session)


def _write_refusals(engine: Engine, session: Session) -> None:
    """A user refused (rights.require) is logged once the session has ended, committed or not."""
    from .rights import write_refusals

    write_refusals(engine, session)
