"""Supervision: field verification rounds (pemutakhiran), RAT compliance, health assessment."""
