"""Organised exams (sessions), their reports and certificates, and study records with points."""
