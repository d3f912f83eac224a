"""iprkg: Norwegian regional councils' strategies published as RDF.

The build (``settings``, ``formats``, ``sources``, ``validation``, ``build``) turns the
Turtle sources into one immutable artefact in ``dist/``; it never imports the web layer.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("iprkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
