"""``python -m iprkg`` runs the command-line interface."""

from iprkg.cli import main

main()
