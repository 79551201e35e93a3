"""Files: the resource locator, assessment files and migrations, catalogs, questionnaires, brand."""
