"""Cleaning untrusted text: no control or bidi-override characters ever reach a screen."""

from __future__ import annotations

import re

# Control characters that could drive a terminal (ESC, BEL…) or reorder text (bidi overrides).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def strip_control(text: str) -> str:
    return _CONTROL.sub("", text)
