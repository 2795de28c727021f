"""Charts with their equivalent tables and one-sentence summaries (accessibility.md A-21)."""
