"""Keeping ``trainee_skills`` equal to the sums of ``skill_stats``, in the same transaction
as every change to ``skill_stats``."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, select

from simulator.store.tables import SkillStat, TraineeSkill


def add_totals(
    conn: Connection, trainee_id: int, counts: Mapping[str, Mapping[str, int]], sign: int = 1
) -> None:
    """Add (``sign=1``) or take away (``sign=-1``) one attempt's skill counts."""
    if not counts:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # noqa: PLC0415
    rows = [
        {
            "trainee_id": trainee_id,
            "tag": tag,
            "chances": sign * c["chances"],
            "hits": sign * c["hits"],
            "misuses": sign * c["misuses"],
        }
        for tag, c in sorted(counts.items())
    ]
    stmt = insert(TraineeSkill)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[TraineeSkill.trainee_id, TraineeSkill.tag],
            set_={
                "chances": TraineeSkill.chances + stmt.excluded.chances,
                "hits": TraineeSkill.hits + stmt.excluded.hits,
                "misuses": TraineeSkill.misuses + stmt.excluded.misuses,
            },
        ),
        rows,
    )


def stored_counts(
    conn: Connection, attempt_id: int
) -> tuple[int | None, dict[str, dict[str, int]]]:
    """An attempt's rows in ``skill_stats`` (and its trainee), to take away before replacing."""
    rows = conn.execute(
        select(
            SkillStat.trainee_id,
            SkillStat.tag,
            SkillStat.chances,
            SkillStat.hits,
            SkillStat.misuses,
        ).where(SkillStat.attempt_id == attempt_id)
    ).all()
    trainee = rows[0].trainee_id if rows else None
    return trainee, {
        r.tag: {"chances": r.chances, "hits": r.hits, "misuses": r.misuses} for r in rows
    }


def recount_totals(conn: Connection, trainee_id: int) -> None:
    """Rebuild one trainee's totals from ``skill_stats`` (after rows were written in bulk)."""
    from sqlalchemy import delete, func, insert  # noqa: PLC0415

    conn.execute(delete(TraineeSkill).where(TraineeSkill.trainee_id == trainee_id))
    conn.execute(
        insert(TraineeSkill).from_select(
            ["trainee_id", "tag", "chances", "hits", "misuses"],
            select(
                SkillStat.trainee_id,
                SkillStat.tag,
                func.sum(SkillStat.chances),
                func.sum(SkillStat.hits),
                func.sum(SkillStat.misuses),
            )
            .where(SkillStat.trainee_id == trainee_id)
            .group_by(SkillStat.trainee_id, SkillStat.tag),
        )
    )
