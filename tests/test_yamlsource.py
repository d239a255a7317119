"""yamlsource composes with libyaml when it can (`_compose_fast`) and with PyYAML's own parser otherwise: both
must give the same data and the same lines, so which one read a file never shows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor import yamlsource
from auditor.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p
    for folder in ("auditor", "tests", "docs", "examples")
    if (ROOT / folder).is_dir()
    for p in (ROOT / folder).rglob("*.y*ml")
)


def _by_python(path: Path, monkeypatch: pytest.MonkeyPatch) -> yamlsource.YamlDoc | str:
    with monkeypatch.context() as patch:
        patch.setattr(yamlsource, "_compose_fast", lambda text, file: None)
        return _load(path)


def _load(path: Path) -> yamlsource.YamlDoc | str:
    try:
        return yamlsource.load_yaml(path)
    except InputError as exc:
        return str(exc)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_libyaml_and_pyyaml_read_every_yaml_file_of_the_project_alike(monkeypatch):
    assert len(FILES) > 50
    for path in FILES:
        fast, slow = _load(path), _by_python(path, monkeypatch)
        if isinstance(fast, str) or isinstance(slow, str):
            assert fast == slow, path
            continue
        assert (fast.data, fast.lines, fast.numbers) == (slow.data, slow.lines, slow.numbers), path


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_a_document_libyaml_refuses_is_explained_by_pyyaml(tmp_path, monkeypatch):
    """libyaml's own messages are never shown: the Python parser reads a refused document again."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("flows:\n  - name: a\n\tkind: cancel\n")
    assert yamlsource._compose_fast(bad.read_text(), str(bad)) is None
    assert _load(bad) == _by_python(bad, monkeypatch)
    assert "tabs" in str(_load(bad)) and ":3:" in str(_load(bad))
