"""Spanish number format as store staff write money: 1.234,56.

Django's Spanish locale groups thousands with a non-breaking space (1 234,56), which
staff neither read as money nor type into a form; only the separator differs.
"""

THOUSAND_SEPARATOR = "."
