"""calldrill: a role-play training simulator for call-center agents."""

__version__ = "0.1.0"
