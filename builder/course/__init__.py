"""The course as the builder knows it: source files read (``readers``, ``load``) into the model
(``model``, ``schema``), each lesson parsed once into its tree (``tree``, ``markup``) and
scanned (``myst``), facts and glossary terms, images, and the walk over every text a person
reads (``texts``). Nothing here imports the stages above it (checks, quizzes, rendering)."""
