"""Classroom group drills: the drill, its rounds and the observers' sheets (docs/drills.md).

Revision ID: 0005
Revises: 0004

Three new tables; nothing existing changes. A round's attempt is an ordinary attempt
of the agent's profile, so history, progress and exports see drill rounds too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drills",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("class_name", sa.String(100)),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_drills_class_name", "drills", ["class_name"])
    op.create_table(
        "drill_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "drill_id", sa.Integer, sa.ForeignKey("drills.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("scenario_id", sa.String(64), nullable=False),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id", ondelete="SET NULL")),
        sa.Column(
            "agent_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "customer_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "observer_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("also_watching", sa.JSON, nullable=False),
        sa.Column("timings", sa.JSON, nullable=False),
        sa.Column("over_ms", sa.Integer, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("drill_id", "number", name="uq_drill_rounds_number"),
    )
    op.create_table(
        "observer_sheets",
        sa.Column(
            "round_id",
            sa.Integer,
            sa.ForeignKey("drill_rounds.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "observer_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("expression", sa.Integer, nullable=False),
        sa.Column("process", sa.Integer, nullable=False),
        sa.Column("solving", sa.Integer, nullable=False),
        sa.Column("emotion", sa.Integer, nullable=False),
        sa.Column("focus", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("observer_sheets")
    op.drop_table("drill_rounds")
    op.drop_index("ix_drills_class_name", table_name="drills")
    op.drop_table("drills")
