"""The pages integrations serves to sales users (outside the settings console)."""
