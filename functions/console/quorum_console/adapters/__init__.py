"""boto3 behind the console's ports: the functions' live aliases and the release log."""
