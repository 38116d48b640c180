"""The command line: typer only; each command checks its input and calls one flow function."""
