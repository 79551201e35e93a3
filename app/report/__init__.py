"""The PDF report: charts (reportlab.graphics drawings built from an Evaluation), the jinja2 narrative
and the page layout. Importing this package costs nothing: reportlab is only loaded by its modules
(`app.report.pdf`, `app.report.charts`), which callers import when they need them."""
