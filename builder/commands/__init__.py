"""What the command line runs: ``build`` (load, check, render, publish)."""
