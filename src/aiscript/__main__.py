"""``python -m aiscript``: the same command as ``aiscript``."""

from aiscript.cli import main

if __name__ == "__main__":
    main()
