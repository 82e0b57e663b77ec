"""Pages of the local records."""
