"""Start kopdesk: the application window, or a command (python main.py --help)."""
import sys

from kopdesk.ui.app import run

if __name__ == "__main__":
    raise SystemExit(run(sys.argv))
