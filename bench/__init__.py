"""`python -m bench`: how fast the local pipeline runs at a given scale, against the JSON-read floor."""
