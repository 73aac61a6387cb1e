"""Logins: users' password hashes, disabling and lock-out; residents' access codes (hashes only); login attempts.

Revision ID: 0004_logins
Revises: 0003_payouts
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_logins"
down_revision = "0003_payouts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Users from before this revision have no password: a supervisor sets one (`register user reset`).
    op.add_column("users", sa.Column("password_hash", sa.String(200), nullable=True))
    op.add_column("users", sa.Column("password_set_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("disabled_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("last_login_at", sa.DateTime(), nullable=True))
    op.create_table(
        "access_codes",
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), primary_key=True),
        sa.Column("code_sha256", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
    )
    op.create_index("ix_login_attempts_name_at", "login_attempts", ["name", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempts_name_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_table("access_codes")
    with op.batch_alter_table("users") as batch:
        for column in ("last_login_at", "locked_until", "failed_logins", "disabled_at", "password_set_at",
                       "password_hash"):
            batch.drop_column(column)
