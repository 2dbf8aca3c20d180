"""The workspace screens: one screen per file, each with its own .tcss next to it."""
