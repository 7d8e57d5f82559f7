"""The benchmark suite: ``bench/run`` runs every benchmark and prints one table of measured ratios.

Each benchmark measures the sandbox and its baseline side by side in one run, on this machine, and reports
the ratio next to its target. Benchmarks report; they never fail a build on a missed target (``--quick`` in
CI only checks that they run).
"""
