"""Accounts pages: list, New, detail, Edit, Close, holders, API keys and store settings.

Thin: they parse the request, call a selector or a service and render; every rule lives in
rules.py and the planner (through services). Each view names the permission it needs.
"""
