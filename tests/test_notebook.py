"""The example notebook runs: its code cells, in order, in one namespace, as a kernel would run them."""

import json
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "explore.ipynb"


def test_the_example_notebook_runs_and_ends_on_a_figure():
    cells = [c for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]
    assert len(cells) >= 5
    space: dict = {}
    for cell in cells:
        exec(compile("".join(cell["source"]), f"{NOTEBOOK.name}[{cells.index(cell)}]", "exec"), space)  # our own file
    assert space["run"]["status"] in ("converged", "max_steps")
    assert type(space["fig"]).__name__ == "Figure" and space["fig"].data
