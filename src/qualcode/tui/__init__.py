"""The Textual terminal UI (imports the core; the core never imports this package)."""
