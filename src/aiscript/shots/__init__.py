"""Beats to shots: the rules shot planner, the LLM shot planner the rules check, the blocking
of each shot (poses, contacts, props, screen sides) and the cast's looks taken from a script."""
