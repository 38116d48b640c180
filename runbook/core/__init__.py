"""The bottom layer, which every other imports: the tutorial's data, handles, statuses, errors, events."""
