"""The item file format as data: each key with its meaning, and the JSON Schema editors use."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulse.model import ThemeRegistry
from pulse.model.items import DIGEST_FIELDS, ITEM_FIELDS, ITEM_REQUIRED, NOTE_FIELDS, SECTION_FIELDS, Field

SCHEMA_FILE = "pulse.schema.json"
SCHEMA_ID = "https://pulse.invalid/schema/items.json"


_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
_TEXT_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_TEXT_LIST: dict[str, Any] = {"type": "array", "items": {"type": "string", "minLength": 1}}
_DATE: dict[str, Any] = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_MONEY: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "examples": ["$1B", "$300 million", "€2 billion", "1.15e9 USD"]},
        {"type": "number", "minimum": 0},
        {
            "type": "object",
            "properties": {
                "value": {"type": ["number", "string"]},
                "currency": {"type": "string", "description": "An ISO 4217 code (USD) or a symbol ($)."},
            },
            "required": ["value", "currency"],
            "additionalProperties": False,
        },
        {"type": "null"},
    ]
}
_URL: dict[str, Any] = {"type": "string", "pattern": "^https?://[^\\s/]+"}
_SOURCE: dict[str, Any] = {
    "oneOf": [
        _URL,
        {
            "type": "object",
            "properties": {"title": {"type": "string"}, "url": _URL},
            "minProperties": 1,
            "additionalProperties": False,
        },
    ]
}

KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "pattern": r"^\S+$"},
    "text": _TEXT_OR_NULL,
    "date": _DATE,
    "themes": {},  # the project's themes: see item_file_schema
    "texts": _TEXT_LIST,
    "money": _MONEY,
    "importance": {"type": "integer", "minimum": 1, "maximum": 5},
    "sources": {"type": "array", "items": _SOURCE},
    "flag": {"type": "boolean"},
    "number": {"type": "number"},
}
"""The JSON Schema of each kind of field (a required text must not be empty)."""


def field_schema(spec: Field) -> dict[str, Any]:
    """The JSON Schema of one item field, from its kind."""
    if spec.kind == "text" and spec.required:
        return _TEXT
    return KIND_SCHEMAS[spec.kind]


def block_schema(fields: Mapping[str, Field], theme_names: list[str]) -> dict[str, Any]:
    """The JSON Schema of a digest block, a note or a section, from its fields."""
    properties: dict[str, Any] = {}
    for name, spec in fields.items():
        if spec.kind == "theme":
            schema: dict[str, Any] = {"enum": theme_names}
        elif spec.kind == "sections":
            schema = {
                "type": "object",
                "propertyNames": {"enum": theme_names},
                "additionalProperties": block_schema(SECTION_FIELDS, theme_names),
            }
        elif spec.kind == "notes":
            schema = {"type": "array", "items": block_schema(NOTE_FIELDS, theme_names)}
        else:
            schema = field_schema(spec)
        properties[name] = {**schema, "description": spec.description}
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name, spec in fields.items() if spec.required],
        "additionalProperties": False,
    }


def item_file_schema(themes: ThemeRegistry) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of an item file, with the project's themes as an enum."""
    theme_names = sorted({name for theme in themes for name in (theme.key, *theme.aliases)})
    properties: dict[str, Any] = {}
    for name, spec in ITEM_FIELDS.items():
        schema = dict(field_schema(spec))
        if name == "themes":
            schema = {"type": "array", "minItems": 1, "items": {"enum": theme_names}}
        properties[name] = {**schema, "description": spec.description}
    theme_list = ", ".join(f"{t.key} ({t.title})" for t in themes)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "pulse item file",
        "description": f"A file of curated items for pulse. Themes: {theme_list}.",
        "type": "object",
        "properties": {
            "items": {
                "type": ["array", "null"],
                "description": "The curated items of this file.",
                "items": {
                    "type": "object",
                    "properties": properties,
                    "required": list(ITEM_REQUIRED),
                    "additionalProperties": False,
                },
            },
            "digest": {
                **block_schema(DIGEST_FIELDS, theme_names),
                "description": "The editorial frame of one issue (title, date, intro, sections, notes, outlook).",
            },
        },
        "additionalProperties": False,
    }


def schema_json(themes: ThemeRegistry) -> str:
    """The schema as the JSON text `pulse schema` prints."""
    return json.dumps(item_file_schema(themes), indent=2, ensure_ascii=False) + "\n"


def issue_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of `pulse digest --format json`."""
    text_list = {"type": "array", "items": {"type": "string"}}
    nullable_text = {"type": ["string", "null"]}
    money = {
        "type": ["object", "null"],
        "properties": {"value": {"type": "number"}, "currency": {"type": "string"}},
        "required": ["value", "currency"],
    }
    item = {
        "type": "object",
        "description": "An item with every field, its score and the score's parts, and where it is written.",
        "properties": {
            **{name: {"description": spec.description} for name, spec in ITEM_FIELDS.items()},
            "amount": {**money, "description": ITEM_FIELDS["amount"].description},
            "valuation": {**money, "description": ITEM_FIELDS["valuation"].description},
            "amount_base": {
                **money,
                "description": "The amount in the base currency (converted at the rate of the item's date).",
            },
            "score": {"type": "number", "description": "The ranking score: the sum of score_parts."},
            "score_parts": {"type": "object", "additionalProperties": {"type": "number"}},
            "path": {"type": "string", "description": "The file the item is written in."},
            "line": {"type": "integer", "description": "The line the item starts on."},
        },
        "required": ["id", "title", "date", "themes", "score", "path", "line"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pulse.invalid/schema/issue.json",
        "title": "pulse issue",
        "description": "One composed issue, as `pulse digest --format json` prints it.",
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The newsletter's name."},
            "title": {"type": "string"},
            "topic": nullable_text,
            "date": {"type": "string", "format": "date", "description": "The issue's date ('Updated ...')."},
            "window": {
                "type": "object",
                "description": "The dates the issue covers (inclusive).",
                "properties": {"since": nullable_text, "until": nullable_text},
                "required": ["since", "until"],
            },
            "intro": {**text_list, "description": "Paragraphs, in the editor's Markdown."},
            "sections": {
                "type": "array",
                "description": "Theme sections in order; items in their ranked order.",
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": "string"},
                        "heading": {**nullable_text, "description": "Null: runs on under the previous heading."},
                        "intro": text_list,
                        "outro": text_list,
                        "items": {"type": "array", "items": item},
                    },
                    "required": ["key", "heading", "intro", "outro", "items"],
                },
            },
            "notes": {
                "type": "array",
                "description": "Editorial sections that are not a theme, with the theme they follow.",
                "items": {
                    "type": "object",
                    "properties": {
                        "heading": {"type": "string"},
                        "body": text_list,
                        "lead": nullable_text,
                        "bullets": text_list,
                        "after": nullable_text,
                    },
                    "required": ["heading", "body", "lead", "bullets", "after"],
                },
            },
            "outlook_heading": {"type": "string"},
            "outlook": text_list,
            "sources": {
                "type": "array",
                "description": "The distinct sources of the issue's items, numbered in this order.",
                "items": {"type": "object", "properties": {"title": nullable_text, "url": nullable_text}},
            },
            "numbers": {
                "type": "array",
                "description": "'In numbers' (trends: true): per theme, the items carrying it, now and before.",
                "items": {
                    "type": "object",
                    "properties": {"key": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"}},
                },
            },
            "item_count": {"type": "integer"},
        },
        "required": ["name", "title", "date", "window", "sections", "notes", "outlook", "sources", "item_count"],
    }


def issue_schema_json() -> str:
    """The issue schema as the JSON text `pulse schema --issue` prints."""
    return json.dumps(issue_schema(), indent=2, ensure_ascii=False) + "\n"
