"""The prediction API (FastAPI); run it with scripts/start-api-locally.sh."""
