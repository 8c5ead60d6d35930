"""Chinese-aware full-text search: normalisation, index build, query, snippets."""
