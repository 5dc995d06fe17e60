"""The wheel works on its own (issue 8 §1): built from the repository's files, installed into a fresh
venv outside the checkout, and served from a course folder that has its own app.py and losses.py,
it answers the page, its static files, plotly.min.js and the API, and `import gradient_flow` is ours.

Fast as honest: the venv is made without pip (the project's pip installs into it with --python),
dependencies come from pip's cache and local index as for any install, and .pyc files are written
on first import rather than for all of SymPy and SciPy at install time (7 s instead of 19 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from serving import free_port, launch

REPO = Path(__file__).resolve().parent.parent
# The user's own modules, named like ours used to be: importing either would stop the server.
TRAPS = {"app.py": "raise SystemExit('the course folder\\'s own app.py was imported')\n",
         "losses.py": "raise SystemExit('the course folder\\'s own losses.py was imported')\n"}


def run(*cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{cmd}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def sources(dest: Path) -> Path:
    """The files git tracks, copied out: the wheel is built from the repository, not from whatever
    lies in the working tree (a .venv, an old build/)."""
    files = run("git", "ls-files", "-z", cwd=REPO).split("\0")
    for name in filter(None, files):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, wheel) with the wheel installed, non-editable, into a venv of its own."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout to know the repository's files")
    tmp = tmp_path_factory.mktemp("wheel")
    src = sources(tmp / "src")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp / "dist"), str(src))
    (wheel,) = (tmp / "dist").glob("gradient_flow-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    run(sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
        "--no-compile", str(wheel))
    return venv, wheel


@pytest.fixture
def course(tmp_path):
    """A working directory elsewhere, holding a user's app.py and losses.py."""
    for name, text in TRAPS.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def clean_env(venv: Path) -> dict:
    """The environment a user's shell would have after activating the venv: no PYTHONPATH, no
    trace of the project's own venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_wheel_ships_one_package_with_its_page(installed):
    _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"gradient_flow", wheel.name.split("-py3")[0] + ".dist-info"}
    for shipped in ("gradient_flow/templates/index.html", "gradient_flow/static/js/main.js",
                    "gradient_flow/static/css/app.css", "gradient_flow/app/server.py"):
        assert shipped in names


def test_the_installed_wheel_serves_the_page_its_files_and_the_api_from_a_course_folder(installed, course):
    venv, _ = installed
    port = free_port()
    server = launch([str(venv / "bin" / "gradient-flow"), "serve", "--port", str(port), "--workers", "1"],
                    f"http://127.0.0.1:{port}/", cwd=course, env=clean_env(venv), deadline_s=120)
    try:
        with urllib.request.urlopen(server.url + "/", timeout=60) as r:
            assert r.status == 200
            html = r.read().decode()
        assert "<title>Gradient Flow" in html
        js = re.search(r'src="(/static/js/main\.js\?v=\w+)"', html).group(1)
        plotly = re.search(r'src="(/vendor/plotly\.min\.js\?v=\w+)"', html).group(1)
        with urllib.request.urlopen(server.url + js, timeout=60) as r:
            assert r.status == 200 and b"import" in r.read() and "immutable" in r.headers["Cache-Control"]
        with urllib.request.urlopen(server.url + plotly, timeout=60) as r:
            assert r.status == 200 and r.read(200).lstrip().startswith(b"/**\n* plotly.js v4.")
        with urllib.request.urlopen(server.url + "/api/gradient?x=0.5&y=-0.3", timeout=60) as r:
            body = json.loads(r.read())
        assert r.status == 200 and body["gradient"] == pytest.approx([-1.15, 0.65]) and body["derivation"]
    finally:
        server.stop()
    assert "was imported" not in server.log()


def test_import_gradient_flow_in_the_course_folder_is_the_installed_package(installed, course):
    venv, _ = installed
    out = run(str(venv / "bin" / "python"), "-c",
              "import gradient_flow, gradient_flow.app; print(gradient_flow.__file__); print(gradient_flow.__version__)",
              cwd=course, env=clean_env(venv))
    where, version = out.split()
    assert Path(where).is_relative_to(venv) and version == __import__("gradient_flow").__version__
