"""Commands end to end against the mock: connect, disconnect, login, status, verify, faults and interrupts."""
