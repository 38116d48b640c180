"""QR codes: reading them from screenshots and photos, checking where they lead, and drawing them again.

from runbook import qr
payload = qr.decode(png_bytes)        # the first code read (QrUnreadable when there is none)
qr.suspicious(payload, base_url)      # why it must not be handed on, or None
qr.write_png(payload, path); print(qr.terminal(payload)); qr.svg_data_url(payload)
"""

from runbook.qr.drawing import svg_data_url, terminal, write_png
from runbook.qr.payload import printable, suspicious
from runbook.qr.reading import Code, decode, decode_all

__all__ = ["Code", "decode", "decode_all", "printable", "suspicious", "svg_data_url", "terminal", "write_png"]
