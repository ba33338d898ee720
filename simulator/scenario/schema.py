"""The JSON Schema of the scenario format v1, for editors (`calldrill schema`).

The loader is the authority (it also checks references, the plot graph and YAML
pitfalls a schema cannot express); this schema gives authors completion and early
red squiggles. tests/test_schema.py fails when it drifts from the loader's keys.
"""

from __future__ import annotations

from typing import Any

from simulator.scenario.loader import (
    BRANCH_KEYS,
    CHOICE_KEYS,
    CONCERN_KEYS,
    ENDING_KEYS,
    OVERRIDE_KEYS,
    SCENARIO_OPTIONAL,
    SCENARIO_REQUIRED,
    STATE_KEYS,
)
from simulator.scenario.model import DIFFICULTIES, DIMENSIONS, KINDS, OUTCOMES, PHASES
from simulator.scenario.reader import ID_RE, MAX_TEXT

SCHEMA_ID = "https://calldrill.invalid/schema/scenario-v1.json"

_ID = {"type": "string", "pattern": ID_RE.pattern, "maxLength": 48}
_TEXT_VALUE = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
_TEXT = {
    "type": "object",
    "description": "A text in both languages: Simplified Chinese first, English second.",
    "properties": {"zh": _TEXT_VALUE, "en": _TEXT_VALUE},
    "required": ["zh", "en"],
    "additionalProperties": False,
}


def _obj(
    keys: tuple[tuple[str, ...], tuple[str, ...]], props: dict[str, Any], description: str
) -> dict[str, Any]:
    required, optional = keys
    assert set(props) == {*required, *optional}, "schema out of step with the loader"
    return {
        "type": "object",
        "description": description,
        "properties": props,
        "required": list(required),
        "additionalProperties": False,
    }


def scenario_schema() -> dict[str, Any]:
    ref = {"$ref": "#/$defs/text"}
    lines = {"type": "array", "minItems": 1, "items": ref}
    points = {
        "type": "object",
        "propertyNames": {"enum": list(DIMENSIONS)},
        "additionalProperties": {"type": "integer", "minimum": -25, "maximum": 25},
    }
    mood = {"type": "object", "additionalProperties": {"type": "integer"}}
    bound = {"type": "integer"}
    condition = {
        "description": "A data condition; see docs/scenario-format.md#conditions.",
        "oneOf": [
            {
                "type": "object",
                "required": ["mood"],
                "additionalProperties": False,
                "properties": {"mood": _ID, "at_least": bound, "at_most": bound},
            },
            {
                "type": "object",
                "required": ["event"],
                "additionalProperties": False,
                "properties": {"event": _ID},
            },
            {
                "type": "object",
                "required": ["chose"],
                "additionalProperties": False,
                "properties": {"chose": {"type": "string"}},
            },
            {
                "type": "object",
                "required": ["tag_used"],
                "additionalProperties": False,
                "properties": {"tag_used": _ID, "at_least": bound},
            },
            {
                "type": "object",
                "required": ["visited"],
                "additionalProperties": False,
                "properties": {"visited": _ID, "at_least": bound},
            },
            {
                "type": "object",
                "required": ["turn"],
                "additionalProperties": False,
                "properties": {
                    "turn": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"at_least": bound, "at_most": bound},
                    }
                },
            },
            {
                "type": "object",
                "required": ["all"],
                "additionalProperties": False,
                "properties": {
                    "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}
                },
            },
            {
                "type": "object",
                "required": ["any"],
                "additionalProperties": False,
                "properties": {
                    "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}
                },
            },
            {
                "type": "object",
                "required": ["not"],
                "additionalProperties": False,
                "properties": {"not": {"$ref": "#/$defs/condition"}},
            },
        ],
    }
    branch = _obj(
        BRANCH_KEYS,
        {"next": _ID, "when": {"$ref": "#/$defs/condition"}},
        "One conditional target; the last branch has no `when`.",
    )
    choice = _obj(
        CHOICE_KEYS,
        {
            "id": _ID,
            "text": ref,
            "tags": {"type": "array", "items": _ID},
            "feedback": ref,
            "points": points,
            "mood": mood,
            "sets": {"type": "array", "items": _ID},
            "next": _ID,
            "branches": {"type": "array", "minItems": 1, "items": branch},
        },
        "A reply the trainee can choose.",
    )
    choice["oneOf"] = [{"required": ["next"]}, {"required": ["branches"]}]
    state = _obj(
        STATE_KEYS,
        {
            "phase": {"enum": list(PHASES)},
            "line": lines,
            "concern": _ID,
            "choices": {"type": "array", "minItems": 2, "maxItems": 9, "items": choice},
        },
        "A moment of the call: what the customer says and the replies on offer.",
    )
    ending = _obj(
        ENDING_KEYS,
        {"outcome": {"enum": list(OUTCOMES)}, "line": lines, "summary": ref, "points": points},
        "Where a call ends.",
    )
    concern = _obj(CONCERN_KEYS, {"id": _ID, "summary": ref}, "An issue the customer brings.")
    overrides = _obj(
        OVERRIDE_KEYS,
        {
            "mood": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"start": bound, "min": bound, "max": bound},
                },
            },
            "reactions": {"type": "object", "additionalProperties": mood},
        },
        "This customer's own numbers, replacing the persona's.",
    )
    top: dict[str, Any] = {
        "schema_version": {"const": 1},
        "id": _ID,
        "version": {"type": "integer", "minimum": 1},
        "title": ref,
        "kind": {"enum": list(KINDS)},
        "persona": _ID,
        "difficulty": {"enum": list(DIFFICULTIES)},
        "skills": {"type": "array", "items": _ID},
        "brief": ref,
        "goal": ref,
        "customer": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": {"oneOf": [ref, {"type": "string"}]},
        },
        "concerns": {"type": "array", "minItems": 1, "items": concern},
        "start": _ID,
        "states": {"type": "object", "minProperties": 1, "additionalProperties": state},
        "endings": {"type": "object", "minProperties": 1, "additionalProperties": ending},
        "persona_overrides": overrides,
        "pass_mark": {"type": "integer", "minimum": 0, "maximum": 100},
        "three_yes": {
            "type": "object",
            "required": ["goal"],
            "additionalProperties": False,
            "properties": {"goal": ref},
        },
        "on_persona_event": {"type": "object", "additionalProperties": _ID},
    }
    schema = _obj((SCENARIO_REQUIRED, SCENARIO_OPTIONAL), top, "A calldrill scenario, v1.")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "calldrill scenario v1",
        **schema,
        "$defs": {"text": _TEXT, "condition": condition},
    }
