"""SQL a user types (`query`, `exec`, `ask`): checked, translated on the local target, run with a time limit."""
