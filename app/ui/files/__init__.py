"""The open document and its files: open, save, autosave and recovery, passwords, sharing, exports, catalog packs, and the start page's examples."""
