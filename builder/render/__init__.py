"""The outputs a course is built into: notebooks, the Jupyter Book, and PowerPoint decks.

Only ``builder.commands`` imports this package."""
