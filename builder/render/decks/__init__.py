"""PowerPoint decks for in-person sessions: each session's outline and slides, speaker notes with
timings, and answer keys."""
