"""Scheduled jobs: each one asks the capability that owns the data to do the work."""
