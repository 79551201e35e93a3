"""Report: charts, narrative and the PDF. No Qt here."""
