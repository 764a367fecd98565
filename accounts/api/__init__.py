"""The VTEX-compatible Customer Credit HTTP API (under /api/creditcontrol)."""
