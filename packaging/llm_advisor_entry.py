"""PyInstaller entry point of the frozen app: the same as `python -m app` / the `llm-advisor` script."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless if unused; required if any code ever starts a process pool
    from app.cli import main

    sys.exit(main())
