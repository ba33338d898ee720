"""The scenario file format: typed model, safe YAML loading, validation."""
