"""The emulator's HTTPS front: the server, request dispatch, certificates, faults, API usage
and its own control API."""
