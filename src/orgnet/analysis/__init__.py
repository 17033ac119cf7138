"""Analyses, one module per question (coverage, vacuum, linkage, structure, sharing, ...).

Each module is re-exported at the package top level as it lands, e.g.
``orgnet.coverage``.
"""
