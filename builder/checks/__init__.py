"""Checks a loaded course can be given beyond what its readers found: ``run`` (load, check
and silence, in one call), cross-references (``course``), question banks, sessions, the
glossary's first uses, spelling, and figures against their source texts."""
