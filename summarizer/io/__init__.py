"""Reading inputs, writing outputs, the summary cache, Markdown, keeping the key out."""

__all__: list[str] = []  # nothing re-exported: import the modules
