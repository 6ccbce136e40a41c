"""Operations of the load harness beyond registry edits, registered as the services that provide them exist."""

from __future__ import annotations
