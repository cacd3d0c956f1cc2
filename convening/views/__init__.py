"""Core pages, one module per topic."""
