"""Bringing a register's tables up to date with the Alembic revisions packaged beside this module."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

from .errors import RegisterError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def metadata() -> MetaData:
    """Every register table: models.py and each other models_*.py module of this package."""
    from . import models

    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("models_"):
            importlib.import_module(f"{__package__}.{info.name}")
    return models.Base.metadata


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply every revision not yet applied up to `revision`, in one transaction; returns (before, after)."""
    before = current_revision(engine)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return before, head_revision() if revision == "head" else revision


def require_current(engine: Engine) -> None:
    """Refuse to work on a register that is missing or older than this program (RegisterError naming the fix)."""
    current = current_revision(engine)
    if current is None:
        raise RegisterError("database", engine.url.render_as_string(hide_password=True),
                            "登记簿尚未建立：请先运行 register init",
                            "the register has not been created: run `register init` first")
    if current != head_revision():
        raise RegisterError("database", current, f"登记簿结构版本为 {current}，需先运行 register upgrade",
                            f"the register is at revision {current}: run `register upgrade` first")
