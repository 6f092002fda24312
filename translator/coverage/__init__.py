"""The equivalence table and the sweep: every input field translated or reported."""
