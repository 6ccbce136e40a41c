"""Supervision screens: Pemutakhiran, RAT and Kesehatan."""
