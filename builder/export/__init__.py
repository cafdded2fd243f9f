"""Exports of a built course into other systems (SCORM packages, Moodle XML, GIFT).

Empty until the LMS exports are built; ``builder.commands`` will call it as it calls ``render``."""
