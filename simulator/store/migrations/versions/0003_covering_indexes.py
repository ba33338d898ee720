"""Covering indexes for the History and Progress screens.

Revision ID: 0003
Revises: 0002

An attempt row carries its debrief (some 17 kB of JSON), so reading even a few small
columns of ten thousand attempts touches ten thousand pages. These indexes hold the
columns the screens read, so their queries never visit the table: one for the
attempts (it starts as ``ix_attempts_trainee_started`` did, which it replaces) and one
for the skill counts (it replaces ``ix_skill_stats_trainee`` the same way).
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ATTEMPT_COLUMNS = [
    "trainee_id",
    "started_at",
    "id",
    "status",
    "scenario_id",
    "total",
    "expression",
    "process",
    "solving",
    "emotion",
]
SKILL_COLUMNS = ["trainee_id", "tag", "attempt_id", "chances", "hits", "misuses"]


def upgrade() -> None:
    op.create_index("ix_attempts_trainee_scores", "attempts", ATTEMPT_COLUMNS)
    op.drop_index("ix_attempts_trainee_started", "attempts")
    op.create_index("ix_skill_stats_counts", "skill_stats", SKILL_COLUMNS)
    op.drop_index("ix_skill_stats_trainee", "skill_stats")


def downgrade() -> None:
    op.create_index("ix_skill_stats_trainee", "skill_stats", ["trainee_id", "tag"])
    op.drop_index("ix_skill_stats_counts", "skill_stats")
    op.create_index("ix_attempts_trainee_started", "attempts", ["trainee_id", "started_at"])
    op.drop_index("ix_attempts_trainee_scores", "attempts")
