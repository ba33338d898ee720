"""The first schema: trainees, attempts and their turns.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("group_name", sa.String(100)),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "trainee_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("scenario_id", sa.String(64), nullable=False),
        sa.Column("scenario_version", sa.Integer, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("elapsed_ms", sa.Integer, nullable=False),
        sa.Column("time_limit_s", sa.Integer),
        sa.Column("outcome", sa.String(32)),
        sa.Column("ending", sa.String(64)),
        sa.Column("total", sa.Float),
        sa.Column("passed", sa.Boolean),
        sa.Column("expression", sa.Float),
        sa.Column("process", sa.Float),
        sa.Column("solving", sa.Float),
        sa.Column("emotion", sa.Float),
        sa.Column("debrief", sa.JSON),
        sa.Column("origin", sa.String(64)),
    )
    op.create_index("ix_attempts_trainee_started", "attempts", ["trainee_id", "started_at"])
    op.create_index("ix_attempts_status", "attempts", ["trainee_id", "status"])
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("concern", sa.String(64)),
        sa.Column("choice", sa.String(64), nullable=False),
        sa.Column("shown_as", sa.Integer, nullable=False),
        sa.Column("offered", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("points", sa.JSON, nullable=False),
        sa.Column("score_delta", sa.Integer, nullable=False),
        sa.Column("best", sa.String(64), nullable=False),
        sa.Column("best_tags", sa.JSON, nullable=False),
        sa.Column("mood_after", sa.JSON, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("next", sa.String(64), nullable=False),
        sa.Column("elapsed_ms", sa.Integer, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("attempt_id", "number", name="uq_turns_attempt_number"),
    )


def downgrade() -> None:
    op.drop_table("turns")
    op.drop_table("attempts")
    op.drop_table("trainees")
