"""Authentication, sessions and security headers. Imported at the end of base.py."""
