"""The demo data set of the field reports, and the national-scale set for benchmarks."""
