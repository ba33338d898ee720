"""Exam attempts and their answers (the pre-job assessment, docs/assessment.md).

Revision ID: 0004
Revises: 0003

Two new tables; nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("candidate", sa.String(100), nullable=False),
        sa.Column("blueprint_id", sa.String(64), nullable=False),
        sa.Column("blueprint_sha256", sa.String(64), nullable=False),
        sa.Column("bank_sha256", sa.String(64), nullable=False),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("current_section", sa.Integer, nullable=False),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("passed", sa.Boolean),
        sa.Column("total_percent", sa.String(16)),
        sa.Column("result", sa.JSON),
        sa.Column("retake_allowed", sa.Boolean, nullable=False),
        sa.Column("calldrill_version", sa.String(32), nullable=False),
    )
    op.create_index("ix_exam_attempts_candidate", "exam_attempts", ["candidate", "blueprint_id"])
    op.create_table(
        "exam_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("exam_attempts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("section", sa.String(48), nullable=False),
        sa.Column("item_key", sa.String(120), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("elapsed_ms", sa.Integer, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("attempt_id", "item_key", name="uq_exam_answers_item"),
    )


def downgrade() -> None:
    op.drop_table("exam_answers")
    op.drop_index("ix_exam_attempts_candidate", "exam_attempts")
    op.drop_table("exam_attempts")
