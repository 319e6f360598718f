"""`examples/explore.ipynb` runs top to bottom on a demo crawl's output and answers from it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib", reason="the notebook plots with pandas (matplotlib)")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "explore.ipynb"
DROPPED = 5  # articles removed from a copy of the output, so their listings lack an article
# Appended to the notebook: the answers, as JSON on the last cell's output.
ANSWERS = """
import json
print(json.dumps({
    "rows": {name: len(frame) for name, frame in frames.items()},
    "africa_issues": int(africa_by_year["issues"].sum()),
    "writers": what_it_means_writers.to_dict(),
    "without_article": [int(n) for n in without_article["cwa_no"]],
    "changes": {str(k): int(v) for k, v in changes["change"].value_counts().items()},
}))
"""


def run_notebook(output: Path) -> dict:
    """Execute the notebook in examples/ with GPSCRAPE_OUTPUT set; return its answers."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(ANSWERS))
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute(env={**os.environ, "GPSCRAPE_OUTPUT": str(output), "MPLBACKEND": "Agg"})
    printed = "".join(out["text"] for out in notebook.cells[-1].outputs
                      if out.get("name") == "stdout")  # a print may arrive in pieces
    return json.loads(printed)


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_notebook_runs_on_the_demo_output(demo):
    answers = run_notebook(demo)
    assert answers["rows"] == {name: pq.read_table(demo / name).num_rows
                               for name in answers["rows"]}
    articles = pq.read_table(demo / "articles").to_pandas()
    weekly = articles[articles["series"].eq("Conflict Weekly") & articles["published"].notna()]
    assert answers["africa_issues"] == len(weekly)
    people = {name for names in articles["authors"] for name in names}
    assert answers["writers"] and set(answers["writers"]) <= people
    assert answers["without_article"] == []  # the demo crawl fetches every listed record
    assert answers["changes"] == {"new": len(articles)}  # the demo crawl ran just now


def test_notebook_finds_listed_numbers_without_an_article(demo, tmp_path):
    articles = pq.read_table(demo / "articles")
    listings = pq.read_table(demo / "listings").to_pandas()
    linked = listings.dropna(subset=["cwa_no", "record_no"])
    gone = linked.sort_values("record_no")["record_no"].head(DROPPED).tolist()
    assert gone, "the demo crawl gave no listing entries with a link"
    copy = tmp_path / "out"
    for name in ("sections", "listings", "authors", "quarantine", "revisions"):
        shutil.copytree(demo / name, copy / name)
    kept = articles.filter(pc.invert(pc.is_in(articles["record_no"], pa.array(gone, pa.int64()))))
    (copy / "articles").mkdir()
    pq.write_table(kept, copy / "articles" / "part-0.parquet")
    expected = sorted(int(n) for n in linked[linked["record_no"].isin(gone)]["cwa_no"])
    assert run_notebook(copy)["without_article"] == expected
