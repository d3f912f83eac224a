"""Reading a finished build: its manifest, files and releases. No rdflib."""
