"""YAML input that remembers where every value came from, so errors can say `file:line: what is wrong`.

`yaml.safe_load` forgets positions and trusts the document's size, so we compose the node tree ourselves
(with the safe loader's node types) and build plain Python data from it, recording the line of each key
and list item on the way. Composing counts nodes and nesting too (PyYAML's composer is slow, recursive
and keeps every node, so a 5 MB list of a million items would cost a minute and a gigabyte), and while
building we count again, values and the bytes of their text, every time an alias is used: that stops
"billion laughs" alias bombs, self-referencing anchors, and a few uses of one huge aliased text (a 3 MB
string used 60 times is 180 MB for every later step to copy, check and hash) before they cost memory or
time. Anything unusual (custom tags, non-string keys, duplicate keys, numbers too long to be meant, NaN, text
that is not Unicode) is an error, not a guess.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from auditor.errors import InputError
from auditor.files import FileProblem, read_capped

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # values after aliases are expanded
MAX_EXPANDED_BYTES = 2 * MAX_BYTES  # text (keys, strings, numbers as written) after aliases are expanded
MAX_WRITTEN = 50_000  # values written out (composing one costs ~20 µs; the largest shipped pack has 1,100)
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 1000  # `1:2:3:...` (base 60) and long hex take quadratic time to read, and print badly

KeyPath = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_SAFE = SafeConstructor()
_SCALARS: dict[str, Callable[[ScalarNode], Any]] = {  # the standard tags that map onto JSON-like data
    _STD + "str": _SAFE.construct_yaml_str,
    _STD + "int": _SAFE.construct_yaml_int,
    _STD + "float": _SAFE.construct_yaml_float,
    _STD + "bool": _SAFE.construct_yaml_bool,
    _STD + "null": _SAFE.construct_yaml_null,
    _STD + "timestamp": lambda node: node.value,  # an unquoted date stays the text the user wrote
}


class Problem(NamedTuple):
    """One located mistake; several are gathered so the user sees them all at once."""

    file: str
    line: int
    message: str


def raise_problems(problems: Iterable[Problem]) -> None:
    """Raise one InputError for all problems (in the given order, duplicates dropped); none: return."""
    unique = list(dict.fromkeys(problems))
    if len(unique) == 1:
        raise InputError(unique[0].message, file=unique[0].file, line=unique[0].line)
    if unique:  # each line carries its own file:line, so the error itself gets no prefix
        raise InputError("\n".join(f"{p.file}:{p.line}: {p.message}" for p in unique))


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML file: plain data plus the line of every key and list item."""

    data: Any
    file: str
    lines: dict[KeyPath, int] = field(default_factory=dict, repr=False)
    numbers: dict[KeyPath, str] = field(default_factory=dict, repr=False)

    def line(self, path: Sequence[str | int]) -> int:
        """1-based line of the key (or list item) at `path`; the nearest existing ancestor's if absent."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    def written(self, path: Sequence[str | int]) -> str | None:
        """A number exactly as written: YAML reads `pin: 0123` as 83 and `12.50` as 12.5."""
        return self.numbers.get(tuple(path))

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        return Problem(self.file, self.line(path), message)


def load_yaml(path: str | Path) -> YamlDoc:
    """Read one YAML document from `path`; every problem is an InputError naming the file and line."""
    file = str(path)
    try:
        raw = read_capped(path, MAX_BYTES)
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=file) from None
    except FileProblem as exc:  # a FIFO, a device, or too large
        raise InputError(f"file {exc}", file=file) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot read the file ({reason})", file=file) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("file is not UTF-8 text (save it as UTF-8)", file=file, line=line) from None
    if not text.strip():
        raise InputError("file is empty", file=file, line=1)
    root = _compose_fast(text, file)
    loader: _Loader | None = None
    try:
        if root is None:  # libyaml refused the text, or was not there: PyYAML's own parser says why
            loader = _Loader(text, file)  # the reader checks for unprintable characters here already
            root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file, last_line=len(text.rstrip().splitlines())) from None
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise InputError(f"character U+{exc.character:04X} is not allowed in YAML", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=file) from None
    except RecursionError:
        raise InputError(f"nesting is deeper than {MAX_DEPTH} levels", file=file) from None
    except (ValueError, OverflowError):  # the scanner calls chr() on escapes: "\UFFFFFFFF" is past U+10FFFF
        message = "invalid YAML: an escape such as \\UXXXXXXXX names no Unicode character"
        raise InputError(message, file=file, line=loader.line + 1 if loader else None) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise InputError("file is empty (only comments)", file=file, line=1)
    builder = _Builder(file)
    return YamlDoc(builder.build(root, (), 0), file, builder.lines, builder.numbers)


def label(path: KeyPath) -> str:
    """A key path as a user would point at it: `flows[0].explore.max_states`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


class _Counting(Composer):
    """Composing that counts nodes and nesting, so a huge or deep document is refused early (as the builder
    would refuse it later) instead of costing minutes, memory or a RecursionError."""

    file: str
    count: int
    depth: int
    check_event: Callable[..., bool]  # the parser's (PyYAML's or libyaml's)
    peek_event: Callable[[], Any]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):  # an alias composes nothing new; the builder counts its uses
            return super().compose_node(parent, index)
        self.count += 1
        if self.count > MAX_WRITTEN:
            line = self.peek_event().start_mark.line + 1
            raise InputError(f"document has more than {MAX_WRITTEN:,} values", file=self.file, line=line)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # the same message (and no line) as when Python's own limit hit
                raise InputError(f"nesting is deeper than {MAX_DEPTH} levels", file=self.file)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_Counting, yaml.SafeLoader):
    """PyYAML's safe loader, all in Python: the reference, and what explains a document libyaml refused."""

    def __init__(self, text: str, file: str) -> None:
        yaml.SafeLoader.__init__(self, text)
        self.file, self.count, self.depth = file, 0, 0


if yaml.__with_libyaml__:
    from yaml._yaml import CParser
    from yaml.resolver import Resolver

    class _FastLoader(_Counting, CParser, SafeConstructor, Resolver):
        """libyaml's parser under the same composer (its events carry the same marks and values): core.yaml
        composes in 40 ms instead of 250 ms, which every run of the auditor pays."""

        def __init__(self, text: str, file: str) -> None:
            CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)
            self.file, self.count, self.depth = file, 0, 0


def _compose_fast(text: str, file: str) -> Node | None:
    """The document's node tree by libyaml, or None when libyaml is missing or refused it (then the pure-Python
    loader, whose messages the tests and users know, reads it again). Text with a character PyYAML's reader
    refuses goes straight to that loader, so both accept the same documents."""
    if not yaml.__with_libyaml__ or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLoader(text, file)
    try:
        root = loader.get_single_node()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - any refusal by libyaml is explained by the Python loader
        return None
    finally:
        loader.dispose()
    return root


def _syntax_error(exc: yaml.MarkedYAMLError, file: str, last_line: int) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "<stream end>" in (exc.problem or ""):
        mark = exc.context_mark  # "got end of file": the line that opened what was never closed helps more
    line = mark.line + 1 if mark else None
    if line is not None and "<stream end>" in (exc.problem or ""):
        line = min(line, last_line)  # "found end of file": point at the last line written, not past it
    parts = []
    if exc.context:
        cline = exc.context_mark.line + 1 if exc.context_mark else None
        parts.append(exc.context + (f" (line {cline})" if cline and cline != line else ""))
    parts.append(exc.problem or "syntax error")
    message = "invalid YAML: " + ", ".join(parts)
    if "'\\t'" in message:
        message += " (indent with spaces; YAML does not allow tabs there)"
    return InputError(message, file=file, line=line)


class _Builder:
    """Turns a node tree into plain data, recording lines, counting nodes and checking keys and tags."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.bytes = 0
        self.checked: set[int] = set()  # ids of the scalar nodes whose text was checked (an alias reuses one)
        self.lines: dict[KeyPath, int] = {}
        self.numbers: dict[KeyPath, str] = {}

    def fail(self, node: Node, message: str) -> InputError:
        return InputError(message, file=self.file, line=node.start_mark.line + 1)

    def build(self, node: Node, path: KeyPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"document expands to more than {MAX_NODES:,} values (aliases used too often?)")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting is deeper than {MAX_DEPTH} levels (or an anchor contains itself)")
        if isinstance(node, MappingNode) and node.tag == _STD + "map":
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key in result:
                    raise self.fail(key_node, f"duplicate key {key!r}")
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, SequenceNode) and node.tag == _STD + "seq":
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        if isinstance(node, ScalarNode) and node.tag in _SCALARS:
            self.expanded(node)
            if node.tag in (_STD + "int", _STD + "float") and len(node.value) > MAX_NUMBER_CHARS:
                raise self.fail(node, f"a number longer than {MAX_NUMBER_CHARS} characters (quote it if it is text)")
            try:
                value = _SCALARS[node.tag](node)
            except (ValueError, KeyError, yaml.YAMLError):  # e.g. `!!int abc`; the value may be a secret
                raise self.fail(node, f"the value is not a valid {_short(node.tag)}") from None
            if isinstance(value, float) and not math.isfinite(value):  # .nan/.inf/1e999 pass every min/max check
                raise self.fail(node, "the value is not a finite number (.nan and .inf are not allowed)")
            if isinstance(value, str):
                self.check_text(node, value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.numbers[path] = node.value
            return value
        raise self.fail(node, f"unsupported tag {clip(_short(node.tag))} (plain YAML values only)")

    def key(self, node: Node) -> str:
        if node.tag == _STD + "merge":
            raise self.fail(node, "merge keys ('<<') are not supported; write the keys out or alias the whole value")
        if not isinstance(node, ScalarNode):
            raise self.fail(node, "a key must be plain text, not a list or mapping")
        if node.tag != _STD + "str":
            raise self.fail(node, f"key {clip(node.value)} is read as {_short(node.tag)}; quote it to use it as text")
        self.expanded(node)
        self.check_text(node, node.value)
        return str(node.value)

    def expanded(self, node: ScalarNode) -> None:
        """Count a scalar's text each time it is built (an alias of a long text counts its length every use)."""
        self.bytes += len(node.value)
        if self.bytes > MAX_EXPANDED_BYTES:
            limit = MAX_EXPANDED_BYTES // (1024 * 1024)
            raise self.fail(node, f"document expands to more than {limit} MB of text (a long text aliased too often?)")

    def check_text(self, node: Node, text: str) -> None:
        """An escape such as "\\ud800" gives half of a UTF-16 pair, which no file or terminal can hold."""
        if id(node) in self.checked:
            return
        self.checked.add(id(node))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            message = "the text has an escaped UTF-16 surrogate (\\uD800-\\uDFFF); write the character itself"
            raise self.fail(node, message) from None


def clip(value: Any, limit: int = 80) -> str:
    """`repr(value)`, shortened: a message must not repeat a megabyte the user pasted by mistake."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 4]}...{text[-1]}"


def _short(tag: str) -> str:
    return tag.replace(_STD, "!!") if tag.startswith(_STD) else tag
