"""Platform integrations (GitHub Classroom, Gradescope): projections of the Report, and the
files each platform needs. They use only the grading API."""
