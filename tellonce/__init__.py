"""Tell It Once: one shared child record for a SEND local area partnership."""
