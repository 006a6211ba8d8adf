"""Runs losstui as `python -m losstui`."""

from losstui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
