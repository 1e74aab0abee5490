"""How an article is put to a model: prompts, the single-call and focused strategies,
candidates and roles found by code, long articles in parts."""

__all__: list[str] = []  # nothing re-exported: import the modules
