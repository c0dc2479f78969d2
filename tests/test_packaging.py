"""A plain, non-editable install carries everything the code reads from the package.

The SQL of the PostGIS store (geo/queries/) and the category table (geo/data/) are
package data: an editable install finds them in the source tree anyway, so only a
built wheel shows whether they ship. The wheel is built from a copy of the sources
(no stale build/ folder can leak files into it) with the venv's own setuptools and
wheel (the dev extra), without build isolation, so no index is needed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What setuptools reads to build the wheel; the optional ones only when they exist.
BUILD_INPUTS = ("pyproject.toml", "README.md", "setup.py", "setup.cfg", "MANIFEST.in")


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a copy of the source tree."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "geo", source / "geo", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    out = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable, "-m", "pip", "wheel", str(source),
        "--no-deps", "--no-build-isolation", "--no-index", "--quiet", "-w", str(out),
    )  # fmt: skip
    (built,) = out.glob("community_grid_map-*.whl")
    return built


def test_wheel_carries_the_sql_and_the_category_table(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    sql = {n for n in names if n.startswith("geo/queries/") and n.endswith(".sql")}
    source_sql = {p.relative_to(ROOT).as_posix() for p in (ROOT / "geo" / "queries").rglob("*.sql")}
    assert source_sql, "no SQL found under geo/queries in the source tree"
    assert sql == source_sql
    assert any(n.startswith("geo/queries/migrations/") for n in sql)
    assert "geo/data/categories.csv" in names
    assert "geo/sql.py" in names


def test_a_query_loads_from_a_non_editable_install(wheel, tmp_path):
    target = tmp_path / "site"
    _run(
        sys.executable, "-m", "pip", "install", str(wheel),
        "--no-deps", "--no-index", "--quiet", "--target", str(target),
    )  # fmt: skip
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from geo import sql\n"
        "target = Path(sys.argv[1]).resolve()\n"
        "assert sql.QUERIES_DIR.is_relative_to(target), sql.QUERIES_DIR\n"
        "assert 'SELECT' in sql.load_query('count').upper()\n"
        "assert sql.migrations(), 'no migrations found'\n"
        "print(sql.QUERIES_DIR)\n"
    )
    # Only the installed copy on the path, run from elsewhere: never the source tree.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    done = _run(sys.executable, "-s", "-c", script, str(target), cwd=tmp_path, env=env)
    assert Path(done.stdout.strip()).is_relative_to(target.resolve())
