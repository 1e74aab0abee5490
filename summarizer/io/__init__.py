"""Reading inputs, writing outputs, the summary cache, Markdown, keeping the key out."""
