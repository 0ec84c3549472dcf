"""Notebooks stay runnable against the shipped data and are committed without outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_and_has_no_outputs(notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)

    # Run the code cells in order, from notebooks/ like Jupyter does. The notebooks are ours and
    # committed, so executing them is as safe as importing a module.
    monkeypatch.chdir(notebook.parent)
    namespace: dict[str, object] = {}
    for cell in code:
        exec(compile("".join(cell["source"]), f"{notebook.name}:{cell['id']}", "exec"), namespace)  # noqa: S102
    assert os.getcwd() == str(notebook.parent)
