"""The store protocol: the embedded and remote stores, caches, SPARQL text and federation
policy, result rows. No Flask, no rdflib."""
