"""The web UI tests use the shared fixtures of the root conftest: `today` (a fixed Monday)
and `as_user` (a client logged in as a world user)."""
