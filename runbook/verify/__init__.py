"""For QA and the tutorial's authors: verify, guide, and their reports."""
