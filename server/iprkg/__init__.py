"""iprkg: Norwegian regional councils' strategies published as RDF.

Data flows one way, sources -> build -> artefact -> engine -> services -> web, and the
subpackages are floors that import only downwards: ``cli`` > ``web`` | ``remote`` >
``services`` | ``build`` > ``engine`` > ``artefact`` > ``core`` (rooms on one floor, split
by ``|``, do not import each other). Only ``web`` and ``cli`` import Flask, Werkzeug or
Jinja; ``core``, ``artefact`` and ``engine`` import no rdflib or pyshacl; the route
modules (one blueprint each) do not import each other. import-linter checks these rules
in ``make lint`` (``[tool.importlinter]`` in pyproject.toml); docs/architecture.md says
what each floor holds and where new code goes.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("iprkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
