"""examples/browser-server/: the compose file (a Playwright server, the runbook connecting to it), its Dockerfile,
and the GitHub Actions matrix over shards: valid YAML, the same Playwright version everywhere (the installed one,
which the server must match in major.minor), and the session never baked in, echoed or left behind."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.test_examples import runs_always, step_running, triggers

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "browser-server"
PLAYWRIGHT = version("playwright")
README = FOLDER.parents[1] / "README.md"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((FOLDER / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load((FOLDER / "shards.yml").read_text(encoding="utf-8"))


def pins(text: str) -> set[str]:
    """Every Playwright version the text names: an image tag, an npm or a pip pin."""
    found = re.findall(
        r"playwright(?:/python)?:v(\d+\.\d+\.\d+)|playwright@(\d+\.\d+\.\d+)|playwright==(\d+\.\d+\.\d+)", text
    )
    return {next(group for group in groups if group) for groups in found}


def test_the_server_image_the_server_and_the_client_are_the_installed_playwright(compose) -> None:
    browser = compose["services"]["browser"]
    assert browser["image"] == f"mcr.microsoft.com/playwright:v{PLAYWRIGHT}-noble"
    command = browser["command"]
    assert command[:3] == ["npx", "-y", f"playwright@{PLAYWRIGHT}"] and command[3] == "run-server"
    port = command[command.index("--port") + 1]
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert browser["init"] is True and "healthcheck" in browser
    assert f"127.0.0.1:{port}:{port}" in browser["ports"]  # published on the host's loopback only
    dockerfile = (FOLDER / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(rf'pip install [^\n]*"playwright=={re.escape(PLAYWRIGHT)}"', dockerfile)
    for name in ("compose.yaml", "Dockerfile", "shards.yml"):
        assert pins((FOLDER / name).read_text(encoding="utf-8")) == {PLAYWRIGHT}, name


def test_the_runbook_container_connects_to_the_server_and_reads_the_session_from_a_secret(compose) -> None:
    browser = compose["services"]["browser"]
    port = browser["command"][browser["command"].index("--port") + 1]
    runbook = compose["services"]["runbook"]
    assert runbook["environment"]["TIKTOK_RUNBOOK_BROWSER_ENDPOINT"] == f"ws://browser:{port}/"
    assert runbook["depends_on"]["browser"]["condition"] == "service_healthy"
    assert runbook["build"]["dockerfile"] == "examples/browser-server/Dockerfile"
    assert (FOLDER / runbook["build"]["context"] / runbook["build"]["dockerfile"]).resolve() == FOLDER / "Dockerfile"
    command = runbook["command"]
    assert command[0] == "connect"
    session = command[command.index("--storage-state") + 1]
    assert session == "/run/secrets/tiktok_session" and runbook["secrets"] == ["tiktok_session"]
    assert compose["secrets"]["tiktok_session"]["file"] == "./storage-state.json"
    accounts = command[command.index("--accounts-file") + 1]
    assert f"./accounts.csv:{accounts}:ro" in runbook["volumes"]
    assert (FOLDER / "accounts.csv").is_file()


def test_the_image_is_built_without_any_session_file() -> None:
    """The build context is the repository: the allow-list keeps a session file (and the venv) out of the image."""
    ignore = (FOLDER / "Dockerfile.dockerignore").read_text(encoding="utf-8").split("\n")
    rules = [line.strip() for line in ignore if line.strip() and not line.startswith("#")]
    assert rules[0] == "*" and "**/*storage-state*.json" in rules
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert allowed == {"pyproject.toml", "README.md", "runbook", "pages", "fixtures"}


def test_each_job_of_the_matrix_connects_its_own_shard_through_its_server(workflow) -> None:
    assert "workflow_dispatch" in triggers(workflow)
    connect = workflow["jobs"]["connect"]
    shards = connect["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and connect["strategy"]["fail-fast"] is False
    steps = connect["steps"]
    server, start = step_running(steps, "docker compose")
    assert "examples/browser-server/compose.yaml" in start["run"] and "--wait browser" in start["run"]
    run, step = step_running(steps, "tiktok-runbook connect")
    assert '--shard "${{ matrix.shard }}/${{ strategy.job-total }}"' in step["run"]
    assert step["env"]["TIKTOK_RUNBOOK_BROWSER_ENDPOINT"] == "ws://127.0.0.1:3000/"
    assert '--storage-state "$SESSION"' in step["run"] and server < run
    read, status = step_running(steps, "tiktok-runbook status --json")
    assert runs_always(status) and "> out/status.json" in status["run"] and read > run
    [upload] = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert runs_always(upload) and upload["with"]["path"] == "out/status.json"
    assert upload["with"]["name"] == "status-${{ matrix.shard }}"


def test_the_last_job_merges_every_shards_status(workflow) -> None:
    merge = workflow["jobs"]["merge"]
    assert merge["needs"] == "connect" and runs_always(merge)
    steps = merge["steps"]
    [download] = [s for s in steps if s.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["pattern"] == "status-*"
    _, merged = step_running(steps, "tiktok-runbook status --merge")
    assert f"{download['with']['path']}/status-*/status.json" in merged["run"]


def test_the_session_is_written_privately_never_echoed_and_removed(workflow) -> None:
    steps = workflow["jobs"]["connect"]["steps"]
    _, writer = step_running(steps, '"$TIKTOK_STORAGE_STATE" > "$session"')
    assert writer["run"].index("umask 077") < writer["run"].index('> "$session"')
    assert writer["env"]["TIKTOK_STORAGE_STATE"] == "${{ secrets.TIKTOK_STORAGE_STATE }}"
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "secrets." not in step.get("run", ""), step.get("name")  # only env: names a secret
            assert not re.search(r"^\s*set -[a-z]*x", step.get("run", ""), flags=re.MULTILINE)
    cleanup = steps[-1]
    assert runs_always(cleanup) and re.search(r"\brm\b.*\$\{?SESSION", cleanup["run"])


def test_the_readme_shows_the_examples() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "examples/browser-server/compose.yaml" in readme and "examples/browser-server/shards.yml" in readme
    assert "--browser-endpoint" in readme and "--shard" in readme and "status --merge" in readme
