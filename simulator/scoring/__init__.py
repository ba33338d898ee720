"""Scoring: the rubric applied to a transcript. Pure Python, no UI."""

from simulator.scoring.rubric import DIMENSION_MAX, Score, score_call, score_turns

__all__ = ["DIMENSION_MAX", "Score", "score_call", "score_turns"]
