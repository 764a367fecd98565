"""Import wizard, job pages and import history."""
