"""Exports of a course into other systems, each format behind its own module: ``moodle`` (the
question banks as Moodle XML, every type) and ``gift`` (as GIFT, the types it can hold), on
what ``questions`` shares (categories per lesson, texts as learners read them, the record of
an export and what it left out). ``builder.commands.export`` calls them as the build calls
``render``. SCORM packages and the offline course kit are still to come."""
