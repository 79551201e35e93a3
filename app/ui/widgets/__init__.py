"""Shared widgets and the app's look: tables, charts, number formats, style sheet, presenting mode, the GUI-thread garbage collector."""
