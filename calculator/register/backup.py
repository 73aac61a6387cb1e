"""A consistent copy of the register while clerks work, and a restore into an empty database.

SQLite: the online backup API (a page-by-page copy of one snapshot; the file is itself a SQLite register).
PostgreSQL: a logical dump read in one REPEATABLE READ transaction, written as gzip JSON lines (portable: it restores
into SQLite or PostgreSQL). Restore reads either kind into an empty database, table by table, then brings it up to
this program's revision."""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gzip
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy import Date, DateTime, LargeBinary, Table, create_engine, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from ..batch.output import OutputRefused, check_output, open_output
from . import migrate
from .errors import RegisterError

SQLITE_MAGIC = b"SQLite format 3\x00"
DUMP_FORMAT = "anzhi-register-dump"
CHUNK = 2000


def _tables() -> list[Table]:
    return list(migrate.metadata().sorted_tables)  # parents before children


def _encode(value):
    if isinstance(value, (bytes, memoryview)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _decoder(column):
    kind = column.type
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v["b64"])
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    return lambda v: v


def backup(engine: Engine, target: str | Path) -> dict[str, int]:
    """Write a consistent copy of the register to `target` (atomically); returns rows per table."""
    try:
        check_output(target)
    except OutputRefused as exc:
        raise RegisterError("file", target, exc.message_zh, exc.message_en) from None
    migrate.require_current(engine)
    if engine.dialect.name == "sqlite":
        return _sqlite_backup(engine, Path(target))
    return _dump(engine, Path(target))


def _sqlite_backup(engine: Engine, target: Path) -> dict[str, int]:
    fd, temp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        with engine.connect() as conn:
            source = conn.connection.dbapi_connection
            with contextlib.closing(sqlite3.connect(temp)) as copy:
                source.backup(copy)  # one consistent snapshot, even while others write (WAL)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                counts = {t.name: copy.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in _tables()}
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return counts


def _dump(engine: Engine, target: Path) -> dict[str, int]:
    counts = {}
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            with open_output(target) as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as out:
                out.write(_line({"format": DUMP_FORMAT, "revision": revision,
                                 "tables": [t.name for t in _tables()]}))
                for table in _tables():
                    out.write(_line({"table": table.name, "columns": [c.name for c in table.columns]}))
                    n = 0
                    key = list(table.primary_key.columns)
                    for row in conn.execute(select(table).order_by(*key)).yield_per(CHUNK):
                        out.write(_line([_encode(v) for v in row]))
                        n += 1
                    counts[table.name] = n
    return counts


def _line(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _from_sqlite(path: Path) -> tuple[str, Iterator[tuple[Table, list[dict]]]]:
    source = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with source.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()

    def rows():
        try:
            with source.connect() as conn:
                present = set(inspect(conn).get_table_names())
                for table in [t for t in _tables() if t.name in present]:
                    result = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                    while chunk := result.fetchmany(CHUNK):
                        yield table, [dict(r) for r in chunk]
        finally:
            source.dispose()

    return revision, rows()


def _from_dump(path: Path) -> tuple[str, Iterator[tuple[Table, list[dict]]]]:
    by_name = {t.name: t for t in _tables()}
    stream = gzip.open(path, "rb")
    head = json.loads(stream.readline())
    if not isinstance(head, dict) or head.get("format") != DUMP_FORMAT:
        stream.close()
        raise ValueError("not a register dump")

    def rows():
        with stream:
            table, columns, decoders, chunk = None, [], [], []
            for line in stream:
                item = json.loads(line)
                if isinstance(item, dict):
                    if chunk:
                        yield table, chunk
                    table, columns, chunk = by_name[item["table"]], item["columns"], []
                    decoders = [_decoder(table.c[c]) for c in columns]
                    continue
                chunk.append({c: d(v) for c, d, v in zip(columns, decoders, item)})
                if len(chunk) >= CHUNK:
                    yield table, chunk
                    chunk = []
            if chunk:
                yield table, chunk

    return head["revision"], rows()


def _open_backup(source: Path):
    try:
        with open(source, "rb") as f:
            magic = f.read(16)
    except OSError as exc:
        raise RegisterError("file", source, f"无法读取备份文件 {source}：{exc.strerror}",
                            f"cannot read the backup {source}: {exc.strerror}") from None
    try:
        return _from_sqlite(source) if magic == SQLITE_MAGIC else _from_dump(source)
    except Exception:  # noqa: BLE001 - a damaged or foreign file, whatever the reader trips on, is one message
        raise RegisterError("file", source, f"文件 {source} 不是登记簿备份", f"{source} is not a register backup") from None


def _is_empty(conn: Connection) -> bool:
    names = set(inspect(conn).get_table_names())
    for table in _tables():
        if table.name in names and conn.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    return True


def restore(engine: Engine, source: str | Path) -> dict[str, int]:
    """Load a backup into the empty register at `engine`, in one transaction, then upgrade it to this program's
    revision. Refused (nothing written) if the database already holds records."""
    revision, rows = _open_backup(Path(source))
    with engine.connect() as conn:
        if not _is_empty(conn):
            raise RegisterError("database", engine.url.render_as_string(hide_password=True),
                                "目标数据库已有记录：只能恢复到空的数据库（例如新建的数据库或文件）",
                                "the target database already holds records: restore only into an empty database "
                                "(a new database or file)")
    counts: dict[str, int] = {}
    try:
        migrate.upgrade(engine, revision)
    except CommandError:
        raise RegisterError("file", source, f"备份的结构版本 {revision} 比本程序新，请先升级程序",
                            f"the backup is at revision {revision}, newer than this program: update the program") from None
    with engine.begin() as conn:
        for table, chunk in rows:
            conn.execute(insert(table), chunk)
            counts[table.name] = counts.get(table.name, 0) + len(chunk)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    migrate.upgrade(engine)
    return counts


def _reset_sequences(conn: Connection) -> None:
    """After rows arrive with their ids, each id sequence continues after the largest."""
    for table in _tables():
        for column in table.primary_key.columns:
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar_one()
            if sequence:
                largest = f'(SELECT max("{column.name}") FROM "{table.name}")'
                conn.execute(text(f"SELECT setval(:s, coalesce({largest}, 0) + 1, false)"), {"s": sequence})
