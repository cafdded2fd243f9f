"""Checks a loaded course can be given beyond what its readers found: cross-references
(``course``), question banks, sessions, spelling, and figures against their source texts."""
