"""Payouts paid to households, and vacated moving-order places (an agreement cancelled after its number was given).

Revision ID: 0003_payouts
Revises: 0002_ledger
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_payouts"
down_revision = "0002_ledger"
branch_labels = None
depends_on = None

# 0002 declared moving_order.household_id UNIQUE without a name: PostgreSQL calls it this; SQLite gives it none, so
# the batch (a copy of the table) names it by this convention to drop it.
UNNAMED_UNIQUE = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _moving_order_household_unique() -> str:
    return "moving_order_household_id_key" if op.get_bind().dialect.name == "postgresql" else "uq_moving_order_household_id"


def upgrade() -> None:
    op.create_table(
        "payouts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("voucher_no", sa.String(60), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("clerk", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("project_id", "voucher_no", name="uq_payouts_project_no"),
    )
    op.create_index("ix_payouts_household_id", "payouts", ["household_id"])
    # A cancelled agreement vacates its place: the number stays (published numbers never change), marked vacated, and
    # the household may hold one place in force at a time (it joins the end again if it signs again).
    with op.batch_alter_table("moving_order", naming_convention=UNNAMED_UNIQUE) as batch:
        batch.add_column(sa.Column("vacated_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("vacated_by", sa.String(100), nullable=True))
        batch.drop_constraint(_moving_order_household_unique(), type_="unique")
    op.create_index("uq_moving_order_household_active", "moving_order", ["household_id"], unique=True,
                    sqlite_where=sa.text("vacated_at IS NULL"), postgresql_where=sa.text("vacated_at IS NULL"))


def downgrade() -> None:
    op.drop_index("uq_moving_order_household_active", table_name="moving_order")
    with op.batch_alter_table("moving_order", naming_convention=UNNAMED_UNIQUE) as batch:
        batch.drop_column("vacated_by")
        batch.drop_column("vacated_at")
        batch.create_unique_constraint(_moving_order_household_unique(), ["household_id"])
    op.drop_index("ix_payouts_household_id", table_name="payouts")
    op.drop_table("payouts")
