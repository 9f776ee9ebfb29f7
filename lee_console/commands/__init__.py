"""The headless commands: each turns parsed arguments into aws/ calls and prints the result."""
