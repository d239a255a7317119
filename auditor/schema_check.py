"""Check a YamlDoc against a bundled JSON Schema and say what is wrong in plain words, at the right line.

jsonschema's messages are written for programmers ("... is not valid under any of the given schemas");
each error here becomes `key.path: what`, located at the offending key, and values found under secret
keys (e.g. `inputs`) are never repeated back. Shared by flow specs and, later, rule packs.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Collection
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from auditor.yamlsource import KeyPath, Problem, YamlDoc, clip, label

_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@functools.cache
def validator(schema_name: str) -> Draft202012Validator:
    """The validator for `auditor/schemas/<schema_name>` (checked once, then cached)."""
    text = resources.files("auditor").joinpath("schemas", schema_name).read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(doc: YamlDoc, schema_name: str, secret_keys: Collection[str] = ()) -> list[Problem]:
    """Every schema violation in `doc`, sorted by line; values under `secret_keys` are not shown."""
    problems: list[Problem] = []
    for error in validator(schema_name).iter_errors(doc.data):
        problems.extend(_explain(doc, error, secret_keys))
    return sorted(dict.fromkeys(problems), key=lambda p: p.line)


def _explain(doc: YamlDoc, error: ValidationError, secret_keys: Collection[str]) -> list[Problem]:
    path: KeyPath = tuple(error.absolute_path)
    kind, limit, value = error.validator, error.validator_value, error.instance
    if kind in ("anyOf", "oneOf") and error.context:
        # Explain the alternative for the value's own type (a list: its items); if none, name the types.
        same_type = [sub for sub in error.context if sub.validator != "type" or sub.relative_path]
        if same_type:
            return _explain(doc, best_match(same_type), secret_keys)
        limit = [sub.validator_value for sub in error.context]
        kind = "type"
    if kind == "required":
        missing = [key for key in limit if key not in value]
        return [_at(doc, path + (key,), f"required key {key!r} is missing", doc.line(path)) for key in missing]
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        return [_at(doc, path, _unknown(key, known), doc.line(path + (key,))) for key in value if key not in known]
    secret = any(part in secret_keys for part in path)
    shown = describe(value, secret)
    if kind == "type":
        names = [_TYPES.get(name, name) for name in _flatten(limit)]
        message = f"expected {' or '.join(names)}, got {shown}"
    elif kind == "enum":
        message = f"{shown} is not one of {', '.join(map(str, limit))}"
    elif kind in ("minLength", "minItems", "minProperties") and limit == 1:
        message = "must not be empty"
    elif kind == "minLength":
        message = f"must be at least {limit} characters long"
    elif kind == "maxLength":
        message = f"must be at most {limit} characters long, got {len(value)}"
    elif kind == "minItems":
        message = f"must list at least {limit} items"
    elif kind == "minimum":
        message = f"must be at least {limit}, got {shown}"
    elif kind == "maximum":
        message = f"must be at most {limit}, got {shown}"
    elif kind == "exclusiveMinimum":
        message = f"must be greater than {limit}, got {shown}"
    elif kind == "maxProperties":
        keys = "key" if limit == 1 else "keys"
        message = f"must have at most {limit} {keys}, not {len(value)} ({', '.join(value)})"
    elif kind == "pattern":
        message = f"{shown} is not {error.schema.get('description', 'in the expected format')}"
    else:
        message = "has a value that is not allowed" if secret else error.message
        message = message if len(message) <= 200 else message[:196] + " ..."  # jsonschema repeats the value
    return [_at(doc, path, message, doc.line(path))]


def _at(doc: YamlDoc, path: KeyPath, message: str, line: int) -> Problem:
    where = label(path)
    return Problem(doc.file, line, f"{where}: {message}" if where else message)


def _unknown(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
    return f"unknown key {key!r} ({hint})"


def _flatten(types: Any) -> list[str]:
    if isinstance(types, str):
        return [types]
    return [name for item in types for name in _flatten(item)]


def describe(value: Any, secret: bool = False) -> str:
    """How a message shows a value the user wrote: its kind for collections and secrets, else the value."""
    if isinstance(value, dict | list) or value is None:
        return "null" if value is None else _TYPES["object" if isinstance(value, dict) else "array"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if secret:
        return _TYPES["string" if isinstance(value, str) else "number"]
    return clip(value)
