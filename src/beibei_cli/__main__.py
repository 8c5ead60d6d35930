"""`python -m beibei_cli`."""

from beibei_cli.entry import main

main()
