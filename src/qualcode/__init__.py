"""qualcode: qualitative coding of interview data in the terminal."""

__version__ = "0.1.0"
