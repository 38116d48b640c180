"""Seeing a page as a person does, and acting on it: the in-page engine, choosing, pressing, routes, waits."""
