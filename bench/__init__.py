"""Benchmarks (``make bench``): the evaluation engine at national scale, on synthetic data."""
