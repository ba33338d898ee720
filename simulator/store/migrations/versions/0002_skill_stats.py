"""Per-attempt skill counts for the progress screen, and the typed text of a reply.

Revision ID: 0002
Revises: 0001

``skill_stats`` is filled for attempts already stored, from their turns, so a trainee's
progress covers everything played before the upgrade.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skill_stats",
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(48), primary_key=True),
        sa.Column(
            "trainee_id",
            sa.Integer,
            sa.ForeignKey("trainees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("chances", sa.Integer, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("misuses", sa.Integer, nullable=False),
    )
    op.create_index("ix_skill_stats_trainee", "skill_stats", ["trainee_id", "tag"])
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("text", sa.Text))
    _backfill()


def _backfill() -> None:
    from simulator.store.skills import skill_counts  # noqa: PLC0415

    bind = op.get_bind()
    meta = sa.MetaData()
    attempts = sa.Table("attempts", meta, autoload_with=bind)
    turns = sa.Table("turns", meta, autoload_with=bind)
    stats = sa.Table("skill_stats", meta, autoload_with=bind)
    finished = bind.execute(
        sa.select(attempts.c.id, attempts.c.trainee_id).where(attempts.c.status == "finished")
    ).all()
    for attempt_id, trainee_id in finished:
        rows = bind.execute(
            sa.select(turns.c.tags, turns.c.best_tags).where(turns.c.attempt_id == attempt_id)
        ).all()
        counts = skill_counts((list(r.tags), list(r.best_tags)) for r in rows)
        values: list[dict[str, Any]] = [
            {"attempt_id": attempt_id, "trainee_id": trainee_id, "tag": tag, **c}
            for tag, c in counts.items()
        ]
        if values:
            bind.execute(stats.insert(), values)


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("text")
    op.drop_index("ix_skill_stats_trainee", "skill_stats")
    op.drop_table("skill_stats")
