"""Test and benchmark support: sample registries and the multi-clerk load harness (not shipped)."""
