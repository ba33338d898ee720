"""Classroom group drills (domain §15): who plays what each round, the timed phases,
which scenario each round plays, and the customer player's role card.

Pure: no Textual, no Rich, no store. The TUI and the store build on it.
"""
