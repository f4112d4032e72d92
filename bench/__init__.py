"""Benchmarks: each runs our code and a named peer on the same input and prints ratios.
Run one with ``python -m bench NAME`` (the module ``bench/NAME.py``)."""
