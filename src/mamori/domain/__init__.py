"""The pure core: purposes, consent, the policy decision, incidents, the rule catalogue.

Nothing here performs I/O, reads the clock or imports a framework; a test enforces it.
"""
