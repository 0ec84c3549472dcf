"""Model training; run it with scripts/train-model.sh."""
