"""MedCite."""
