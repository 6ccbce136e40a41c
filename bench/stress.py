"""Load harness: python3 dev.py bench stress --db postgresql://... [--clerks 20] [--seconds 60]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.stress import main

if __name__ == "__main__":
    raise SystemExit(main())
