"""Dialogs and messages: preferences, usage import, help, errors, printing."""
