"""Drafting a report file from any Chinese article (``beibei draft``) and checking what a report
leaves uncovered (``validate --coverage``).

A separate room: no query command imports this package (``tests/test_draft.py`` says so), so
whatever text libraries drafting may need stay off the query paths.
"""
