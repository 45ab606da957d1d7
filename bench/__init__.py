"""Benchmarks and the data sets they run on (see docs/api.md, "Performance")."""
