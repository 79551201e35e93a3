"""What the evaluation shows: the results tabs, the live panel, scenarios, comparison, assumptions, and the evaluator that computes them off the GUI thread."""
