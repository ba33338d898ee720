"""The Textual app: thin screens over the engine. Only this package imports Textual."""
