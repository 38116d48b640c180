"""What `tiktok-runbook qr decode` prints: every code's payload on stdout, escaped; warnings and drawings on stderr."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from runbook import qr
from runbook.core.errors import QrUnreadable


def report_codes(image: Path, *, as_json: bool = False) -> list[qr.Code]:
    """Decodes every code in the image and prints it; raises QrUnreadable (exit 1) when there is none.

    A payload that is not an https address is printed all the same (the caller asked what the code says), with
    a warning on stderr and "suspicious" in the JSON; it is not drawn again, so it cannot be passed on by a scan.
    """
    try:
        codes = qr.decode_all(image)
    except QrUnreadable:
        if as_json:
            print(json.dumps({"codes": []}))
        raise
    entries = []
    for number, code in enumerate(codes, 1):
        reason = qr.suspicious(code.payload)
        if reason:
            where = f"code {number} of {len(codes)}" if len(codes) > 1 else "the code"
            print(
                f"tiktok-runbook: warning: {where} is suspicious, {reason}: {qr.printable(code.payload)}",
                file=sys.stderr,
            )
        elif not as_json:
            print(qr.terminal(code.payload), file=sys.stderr)
        entries.append({"payload": code.payload, "position": code.position(), "suspicious": reason})
    if as_json:
        # ensure_ascii: every control and non-ASCII character is a \u escape, so the line is safe on a terminal.
        print(json.dumps({"codes": entries}, ensure_ascii=True))
    else:
        for code in codes:
            print(qr.printable(code.payload))
    return codes
