"""Nothing runs that should not: no eval/exec, no pickle, no unsafe YAML loading anywhere in app/, and
jinja2 templates only ever come from files, never from text built at run time (user text included).
An AST check, so comments and strings that merely mention these names do not trip it."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "jsonpickle"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "Loader",
               "UnsafeLoader", "FullLoader"}


def _is_literal_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def problems_in(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{where} imports from {node.module}")
            if node.module == "yaml":
                found += [f"{where} imports yaml.{a.name}" for a in node.names if a.name in UNSAFE_YAML]
            if node.module.startswith("jinja2"):
                found += [f"{where} imports jinja2.Template" for a in node.names if a.name == "Template"]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "yaml" and node.attr in UNSAFE_YAML:
                found.append(f"{where} uses yaml.{node.attr}")
            if node.value.id == "jinja2" and node.attr == "Template":
                found.append(f"{where} uses jinja2.Template")
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in FORBIDDEN_CALLS:
                found.append(f"{where} calls {function.id}()")
            if isinstance(function, ast.Attribute) and function.attr == "from_string":
                if not (node.args and _is_literal_text(node.args[0])):
                    found.append(f"{where} renders a template built at run time (from_string)")
    return found


def test_the_checker_catches_what_it_forbids():
    bad = ("import pickle\nfrom yaml import load\nimport yaml\nyaml.load(t, Loader=yaml.Loader)\neval(x)\n"
           "exec(x)\nenv.from_string(user_note)\nfrom jinja2 import Template\n")
    assert len(problems_in(bad, "bad.py")) == 8
    fine = "import yaml\nyaml.safe_load(t)\nenv.get_template('report.html')\nenv.from_string('{{ x }}')\n# eval(\n"
    assert problems_in(fine, "fine.py") == []


def test_app_has_no_code_execution_or_unsafe_loading():
    files = sorted(APP.rglob("*.py"))
    assert len(files) > 20
    found = [p for path in files for p in problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(APP)))]
    assert found == []
