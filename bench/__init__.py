"""Benchmarks: each runs our code and a named peer on the same input, in the same run, and
prints absolute figures and the ratio. ``python -m bench NAME`` runs one."""
