"""QR decoding: the decoders on a corpus made on this machine, image inputs, and the `qr decode` command."""
