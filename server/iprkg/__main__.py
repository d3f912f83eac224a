"""``python -m iprkg`` runs the command-line interface."""

from iprkg.cli.main import main

main()
