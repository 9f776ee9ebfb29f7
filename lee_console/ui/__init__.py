"""The Textual console. Talks to aws/ through thread workers only."""
