"""The family's rights under UK GDPR over a child's record: retention, erasure, subject access.

It sits above the workflows (like insight): it reads every kind of record held about a child,
found by following the database's relations from the child, so a new workflow's records are
exported and erased without this app having to know them.
"""
