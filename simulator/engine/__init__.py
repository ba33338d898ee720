"""The call engine: pure Python, no UI. A Call is a transitions model over a scenario's plot."""

from simulator.engine.call import Call, CallPlot, NotOffered, RestoreError
from simulator.engine.turn import MoodChange, Turn

__all__ = ["Call", "CallPlot", "MoodChange", "NotOffered", "RestoreError", "Turn"]
