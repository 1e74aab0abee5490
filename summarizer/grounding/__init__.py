"""How a model's draft is checked against the article, salvaged, and turned into a
Summary of spans."""

__all__: list[str] = []  # nothing re-exported: import the modules
