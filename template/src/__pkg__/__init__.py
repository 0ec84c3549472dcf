"""Loan default prediction: shared feature definitions, model pipeline and model file I/O."""
