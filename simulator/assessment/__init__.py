"""Pre-job assessment: question bank, blueprints, draws, scoring and signed results.

Pure: no UI and no store imports (docs/assessment.md).
"""
