"""Start kopdesk: the application window, or a command (python main.py --help)."""
import multiprocessing
import sys

from kopdesk.launcher import run

if __name__ == "__main__":
    # Batch letters draw their per-cooperative PDFs in worker processes; a frozen build must let those start.
    multiprocessing.freeze_support()
    raise SystemExit(run(sys.argv))
