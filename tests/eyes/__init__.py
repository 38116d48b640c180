"""The engine and page objects on small hand-written pages: finding controls, clicking, waiting."""
