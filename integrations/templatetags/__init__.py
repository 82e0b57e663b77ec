"""Template tags of the settings console."""
