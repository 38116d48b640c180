"""A capture folder on disk: `capture.har` (bodies over BODY_INLINE_MAX moved to `bodies/<hash>.gz`, so the HAR
stays small and readable), `snapshots/<step>.html`, `capture.json` and `scrub-report.json`. Only scrubbed content
is ever handed to `write`; it writes into a private sibling folder and moves it into place whole, so a failed or
interrupted write leaves no half capture, and a rerun replaces the last capture of the same folder."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from runbook.core.errors import BadInput

HAR = "capture.har"
INFO = "capture.json"
REPORT = "scrub-report.json"
SNAPSHOTS = "snapshots"
BODIES = "bodies"
TOOL = "tiktok-runbook"
# Bodies larger than this (a component library's bundle) are kept gzip-compressed beside the HAR.
BODY_INLINE_MAX = 64 * 1024


def check_target(folder: Path) -> None:
    """Before the run: `--capture DIR` is a new or empty folder, or one this tool wrote a capture into (replaced)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BadInput(f"--capture {folder} is not a folder; give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()) and not _ours(folder):
        raise BadInput(f"--capture {folder} holds files that are not a capture; give a new or empty folder")


def _ours(folder: Path) -> bool:
    try:
        return json.loads((folder / INFO).read_text(encoding="utf-8")).get("tool") == TOOL
    except (OSError, ValueError, AttributeError):
        return False


def write(
    folder: Path, har: dict[str, Any], snapshots: dict[str, str], info: dict[str, Any], report: dict[str, Any]
) -> Path:
    """Writes the capture into `folder` (replacing a capture there) and returns it."""
    folder = folder.absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _write_har(building, har)
        if snapshots:
            (building / SNAPSHOTS).mkdir()
            for name, html in snapshots.items():
                (building / SNAPSHOTS / f"{name}.html").write_text(html, encoding="utf-8")
        _write_json(building / INFO, info)
        _write_json(building / REPORT, report)
        os.chmod(building, 0o755 & ~_umask())
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_har(folder: Path, har: dict[str, Any]) -> None:
    for entry in har.get("log", {}).get("entries", []):
        content = entry.get("response", {}).get("content", {})
        text = content.get("text")
        if isinstance(text, str) and len(text) > BODY_INLINE_MAX:
            raw = base64.b64decode(text) if content.get("encoding") == "base64" else text.encode("utf-8")
            name = f"{BODIES}/{hashlib.sha256(raw).hexdigest()[:20]}.gz"
            (folder / BODIES).mkdir(exist_ok=True)
            (folder / name).write_bytes(gzip.compress(raw, mtime=0))
            del content["text"]
            if content.pop("encoding", None) == "base64":
                content["_base64"] = True  # binary: read back as base64, as Playwright embeds it
            content["_file"] = name  # Playwright's own name for a body kept beside the HAR
            content["_compressed"] = "gzip"
    (folder / HAR).write_text(json.dumps(har, ensure_ascii=False), encoding="utf-8")


def read_har(folder: Path) -> dict[str, Any]:
    """The capture's HAR with every body back in place (as Playwright wrote it: text, or base64 for binary)."""
    har = json.loads((folder / HAR).read_text(encoding="utf-8"))
    for entry in har.get("log", {}).get("entries", []):
        content = entry.get("response", {}).get("content", {})
        name = content.pop("_file", None)
        if not isinstance(name, str):
            continue
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:  # a HAR from elsewhere names a file outside its folder
            raise BadInput(f"{folder / HAR}: a body names {name}, outside the capture")
        raw = gzip.decompress(path.read_bytes()) if content.pop("_compressed", "") == "gzip" else path.read_bytes()
        if content.pop("_base64", False):
            content["text"], content["encoding"] = base64.b64encode(raw).decode("ascii"), "base64"
        else:
            content["text"] = raw.decode("utf-8", errors="replace")
    return har


def read_info(folder: Path) -> dict[str, Any]:
    try:
        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BadInput(f"{folder} is not a capture: {folder / INFO} cannot be read ({error})") from None
    if not isinstance(info, dict) or info.get("tool") != TOOL:
        raise BadInput(f"{folder} is not a capture of {TOOL}")
    return info
