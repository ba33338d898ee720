"""Per-trainee skill totals (the sums of skill_stats), filled from what is stored.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trainee_skills",
        sa.Column(
            "trainee_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(48), primary_key=True),
        sa.Column("chances", sa.Integer, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("misuses", sa.Integer, nullable=False),
    )
    op.execute(
        "INSERT INTO trainee_skills (trainee_id, tag, chances, hits, misuses) "
        "SELECT trainee_id, tag, sum(chances), sum(hits), sum(misuses) "
        "FROM skill_stats GROUP BY trainee_id, tag"
    )


def downgrade() -> None:
    op.drop_table("trainee_skills")
