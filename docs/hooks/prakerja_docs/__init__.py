"""Pages of the documentation site generated from ``contracts/`` at build time."""
