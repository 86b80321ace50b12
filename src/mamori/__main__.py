"""Allow `python -m mamori`."""

from mamori.cli.app import main

main()
