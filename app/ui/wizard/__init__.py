"""The questionnaire as a wizard: its pages, questions, inputs, use cases and the review."""
