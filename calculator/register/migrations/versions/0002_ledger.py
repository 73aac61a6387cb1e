"""The ledger: flats, draws, the moving order, dues, receipts and move-ins.

Revision ID: 0002_ledger
Revises: 0001_core
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_ledger"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flats",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("building", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(40), nullable=False),
        sa.Column("area_c", sa.Integer(), nullable=False),
        sa.Column("type_c", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), nullable=True, unique=True),
        sa.Column("allocated_at", sa.DateTime(), nullable=True),
        sa.Column("allocated_by", sa.String(100), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("project_id", "building", "unit", "room", name="uq_flats_project_address"),
    )
    op.create_index("ix_flats_project_id", "flats", ["project_id"])
    op.create_table(
        "draws",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("seed", sa.String(200), nullable=False),
        sa.Column("list_sha256", sa.String(64), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("first_order_no", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.Column("drawn_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_draws_project_id", "draws", ["project_id"])
    op.create_table(
        "moving_order",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), nullable=False, unique=True),
        sa.Column("order_no", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("draw_id", sa.Integer(), sa.ForeignKey("draws.id"), nullable=True),
        sa.Column("ordered_at", sa.DateTime(), nullable=False),
        sa.Column("ordered_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("project_id", "order_no", name="uq_moving_order_project_no"),
    )
    op.create_table(
        "dues",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), nullable=False),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("years_after_move_in", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.UniqueConstraint("agreement_id", "kind", "number", name="uq_dues_agreement_kind_number"),
    )
    for column in ("project_id", "household_id", "agreement_id"):
        op.create_index(f"ix_dues_{column}", "dues", [column])
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("receipt_no", sa.String(60), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("clerk", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("project_id", "receipt_no", name="uq_receipts_project_no"),
    )
    op.create_index("ix_receipts_household_id", "receipts", ["household_id"])
    op.create_table(
        "move_ins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("households.id"), nullable=False, unique=True),
        sa.Column("flat_id", sa.Integer(), sa.ForeignKey("flats.id"), nullable=False, unique=True),
        sa.Column("moved_in_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    for table in ("move_ins", "receipts", "dues", "moving_order", "draws", "flats"):
        op.drop_table(table)
