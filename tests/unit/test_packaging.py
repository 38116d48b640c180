"""The installed distribution: safe next to other packages, with the files it reads at run time."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_installs_under_the_project_namespace() -> None:
    """Top-level "pages" or "fixtures" in site-packages would clash with anything else of that name."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert {package.split(".")[0] for package in setuptools["packages"]} == {"runbook"}
    assert set(setuptools["package-dir"].values()) == {"pages", "fixtures"}  # the folders stay where they are


def test_run_time_files_are_found_through_the_namespace() -> None:
    assert resources.files("runbook.eyes").joinpath("page", "queries.js").is_file()
    assert resources.files("runbook.fixtures").joinpath("static", "index.html").is_file()
    assert resources.files("runbook").joinpath("tutorial.toml").is_file()
