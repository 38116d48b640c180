"""Tests that start neither a browser nor the mock: the architecture, tutorial data, examples, packaging and
webhooks."""
