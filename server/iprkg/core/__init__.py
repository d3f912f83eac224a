"""Settings, formats, error classes: what every layer may use. No Flask, no rdflib."""
