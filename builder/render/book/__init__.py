"""The Jupyter Book: the project written around the notebooks (config, table of contents, front,
sources and glossary pages), the Sphinx run, and the check of the built site's links."""
