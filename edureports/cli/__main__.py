"""`python -m edureports.cli`."""

from edureports.cli import main

main()
