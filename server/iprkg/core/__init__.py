"""Settings, formats, error classes, vocabulary and the one HTTP client (``http``): what
every layer may use. No Flask, no rdflib."""
