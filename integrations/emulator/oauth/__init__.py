"""OAuth 2.0: the token service (grants, sessions, refresh tokens) and its HTTP endpoints."""
