"""`procure batch`: many requests built at once (`run`), and the summary of what became of each (`summary`)."""
