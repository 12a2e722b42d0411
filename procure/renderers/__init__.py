"""The customer's documents (workbook, PDF, text, HTML): pure functions of the Order."""
