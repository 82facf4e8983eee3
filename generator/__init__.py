"""Static site generator for research reading lists: content/ (YAML) -> Markdown -> site/."""
