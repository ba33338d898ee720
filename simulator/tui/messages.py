"""Small messages the screens send to the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class LanguageChanged(Message):
    lang: str
