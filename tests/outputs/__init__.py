"""What people read, rendered and checked: the verify report, the written guide and the share page."""
