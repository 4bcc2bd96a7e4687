"""Load and throughput benchmarks (`make bench`); figures go to bench/RESULTS.md."""
