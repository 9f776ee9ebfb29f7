"""Local state on disk: the config file and the incident journals. No AWS, no Textual."""
