"""The shape the code keeps (issue 12): one-way imports, small modules and classes, an offline half.

Imports are read from the source with `ast`, every one of them: top-level, inside functions and under
`if TYPE_CHECKING:`, since a cycle hidden in a function is still a cycle a reader must untangle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "auditor"
MAX_MODULE_LINES = 450
MAX_CLASS_LINES = 250


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The auditor modules `name` imports, resolved to modules (not packages' attributes)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def _import_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target in _imports(name, path, set(modules)):
            # a package's __init__ re-exporting its own modules is not a cycle with them
            if not target.startswith(name + ".") or path.name != "__init__.py":
                graph.add_edge(name, target)
    return graph


def test_no_import_cycles() -> None:
    graph = _import_graph()
    # a module importing its own package's __init__ only to reach a sibling is resolved to the package
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


def test_modules_and_classes_stay_small() -> None:
    big: list[str] = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + 1
        if lines > MAX_MODULE_LINES:
            big.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    big.append(f"{name}.{node.name}: class of {size} lines")
    assert not big, big


def test_offline_half_imports_no_playwright(tmp_path: Path) -> None:
    """`auditor check`, `auditor report` and `auditor rules` work where Playwright cannot even be imported."""
    fixture = PACKAGE / "rules" / "packs" / "fixtures" / "iliad-cancel.graph.json"
    code = (
        "import sys; sys.modules['playwright'] = None; sys.modules['playwright.async_api'] = None\n"
        "import auditor.rules.engine, auditor.report.formats, auditor.graph, auditor.analyse, auditor.assess\n"
        "from auditor.cli import cli\n"
        "for args in (['check', sys.argv[1], '--out', sys.argv[2], '--fail-on', 'never'],\n"
        "             ['report', sys.argv[2] + '/report.json', '--format', 'html,md'], ['rules', 'test']):\n"
        "    try:\n"
        "        cli.main(args, standalone_mode=False)\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, (args, exc.code)\n"
        "assert not [m for m in sys.modules if m.startswith('playwright') and sys.modules[m] is not None]\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fixture), str(tmp_path / "out")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "report.json").exists() and (tmp_path / "out" / "report.html").exists()


def test_the_checker_sees_a_cycle(tmp_path: Path) -> None:
    """The cycle test could fail: two modules importing each other, one inside a function, are found."""
    global PACKAGE
    pkg = tmp_path / "auditor"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from auditor.b import thing\n")
    (pkg / "b.py").write_text("def thing():\n    from auditor import a\n    return a\n")
    saved, PACKAGE = PACKAGE, pkg
    try:
        cycles = [c for c in nx.simple_cycles(_import_graph()) if len(c) > 1]
    finally:
        PACKAGE = saved
    assert sorted(cycles[0]) == ["auditor.a", "auditor.b"]
