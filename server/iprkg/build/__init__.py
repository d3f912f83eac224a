"""Sources to artefact: load, validate, compile, publish atomically; harvested dumps,
releases, the changelog. Never Flask."""
