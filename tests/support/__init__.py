"""Helpers the tests share (in-process CLI runs, QR corpus, test images, owners, run and fault helpers); no tests."""
