"""Properties of the code base itself: the math stays Flask-free and nothing evaluates text."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "losses").glob("*.py")) + sorted((ROOT / "app").glob("*.py"))
FORBIDDEN = {"eval", "exec", "sympify", "parse_expr", "S", "__import__"}


def test_the_math_imports_without_flask():
    modules = ("catalog", "compiled", "dynamics", "analysis", "derivation", "parser", "basins", "phase", "stability",
               "linear", "noise", "dirac")
    code = f"import sys, {', '.join('gradient_flow.losses.' + m for m in modules)}; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_module_calls_an_evaluator_of_text(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            assert name not in FORBIDDEN, f"{path.name}:{node.lineno} calls {name}"
