"""Vidare: case management for municipal labour-market units."""
