"""Local stand-ins for the services the project talks to, for tests and benchmarks; not shipped."""
